/**
 * Implementation of the Redis adapter on Lettuce. Not exported. {@link
 * io.kvstore.redis.internal.RedisConnector} opens a store; {@link
 * io.kvstore.redis.internal.RedisBackend} wires one package per way the adapter varies:
 * {@code transport} (one server or Cluster), {@code read} (the read path), {@code listing} (SCAN
 * or indexed, and the key layout) and {@code invalidation} (near-cache invalidations).
 */
package io.kvstore.redis.internal;
