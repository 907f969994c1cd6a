/**
 * Implementation of the Redis adapter on Lettuce. Not exported. {@link
 * io.kvstore.redis.internal.RedisConnector} opens a store; {@link
 * io.kvstore.redis.internal.RedisBackend} wires one package per way the adapter varies:
 * {@code transport} (one server or Cluster), {@code read} (the read path), {@code listing} (SCAN
 * or indexed) and {@code invalidation} (near-cache invalidations); {@code protocol} (the key
 * layout) is what they all share.
 */
package io.kvstore.redis.internal;
