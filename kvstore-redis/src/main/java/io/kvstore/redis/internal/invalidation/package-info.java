/**
 * Near-cache invalidation: {@link io.kvstore.redis.internal.invalidation.InvalidationPublisher}
 * publishes the keys a write changed (in the write's batch, or after it), {@link
 * io.kvstore.redis.internal.invalidation.RedisInvalidationBus} carries them over pub/sub to the
 * other instances.
 */
package io.kvstore.redis.internal.invalidation;
