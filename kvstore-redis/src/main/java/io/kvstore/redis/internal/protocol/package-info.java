/**
 * What the adapter says to Redis and how it reads the replies, shared by every part that talks
 * to it (transport, read, listing, invalidation, the backend), so none of them imports another
 * for it, and this package imports none of them: {@link
 * io.kvstore.redis.internal.protocol.RedisKeys}, the key layout, the one place that names Redis
 * keys; {@link io.kvstore.redis.internal.protocol.Commands}, the one place that builds the
 * commands it sends (and the codec they use), each as a {@link
 * io.kvstore.redis.internal.protocol.Routed} command of a batch; {@link
 * io.kvstore.redis.internal.protocol.Pttl}, the one reading of a {@code PTTL} reply.
 */
package io.kvstore.redis.internal.protocol;
