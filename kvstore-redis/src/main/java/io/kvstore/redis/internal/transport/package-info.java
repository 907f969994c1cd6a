/**
 * How commands reach Redis, chosen once per store: {@link
 * io.kvstore.redis.internal.transport.StandaloneTransport} (one server) or {@link
 * io.kvstore.redis.internal.transport.ClusterTransport} (the masters of a Cluster, following
 * {@code MOVED}/{@code ASK} itself, off the I/O threads, in {@code ClusterRedirects}) behind
 * {@link io.kvstore.redis.internal.transport.Transport}; what both share ({@code
 * AbstractTransport}: the client, the lazily opened {@code BulkConnection} for large batches,
 * made by a second client with an I/O thread of its own ({@code BulkIo}), waves, closing); Lua
 * scripts by {@code EVALSHA} with the {@code NOSCRIPT} fallback ({@link
 * io.kvstore.redis.internal.transport.LuaScript}); and {@link
 * io.kvstore.redis.internal.transport.Errors}, the one translator of Lettuce's failures. The
 * commands themselves are built in {@code protocol}.
 */
package io.kvstore.redis.internal.transport;
