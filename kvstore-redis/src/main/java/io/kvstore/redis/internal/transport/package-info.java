/**
 * How commands reach Redis, chosen once per store: {@link
 * io.kvstore.redis.internal.transport.StandaloneTransport} (one server) or {@link
 * io.kvstore.redis.internal.transport.ClusterTransport} (the masters of a Cluster, following
 * {@code MOVED}/{@code ASK} itself, off the I/O threads) behind {@link
 * io.kvstore.redis.internal.transport.Transport}, each with its lazily opened {@code
 * BulkConnection} for large batches, made by a second client with an I/O thread of its own
 * ({@code BulkIo}); Lua scripts by {@code EVALSHA} ({@link
 * io.kvstore.redis.internal.transport.LuaScript}); and {@link
 * io.kvstore.redis.internal.transport.Errors}, the one translator of Lettuce's failures.
 */
package io.kvstore.redis.internal.transport;
