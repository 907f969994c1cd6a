/**
 * The Redis adapter: {@link io.kvstore.redis.RedisKvStore#connect(String)} for one server,
 * {@link io.kvstore.redis.RedisKvStore#connectCluster(java.util.List)} for Redis Cluster, tuned
 * with {@link io.kvstore.redis.RedisKvOptions}.
 */
@NullMarked
package io.kvstore.redis;

import org.jspecify.annotations.NullMarked;
