/**
 * What the adapter says to Redis, shared by every part that talks to it (read, listing,
 * invalidation, the backend), so none of them imports another for it: {@link
 * io.kvstore.redis.internal.protocol.RedisKeys}, the key layout, the one place that names Redis
 * keys.
 */
package io.kvstore.redis.internal.protocol;
