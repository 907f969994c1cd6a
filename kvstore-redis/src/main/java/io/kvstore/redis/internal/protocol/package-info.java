/**
 * What the adapter says to Redis and how it reads the replies, shared by every part that talks
 * to it (read, listing, invalidation, the backend), so none of them imports another for it:
 * {@link io.kvstore.redis.internal.protocol.RedisKeys}, the key layout, the one place that names
 * Redis keys; {@link io.kvstore.redis.internal.protocol.Commands}, the one place that builds the
 * plain commands it sends; {@link io.kvstore.redis.internal.protocol.Pttl}, the one reading of a
 * {@code PTTL} reply.
 */
package io.kvstore.redis.internal.protocol;
