/**
 * kvstore-testkit-redis: a real Redis or Redis Cluster per test class for JUnit
 * ({@link io.kvstore.testkit.redis.RedisExtension}) and the harness underneath it:
 * {@code redis-server} processes on free loopback ports that tests freeze, kill and restart
 * ({@link io.kvstore.testkit.redis.RedisServer}, {@link io.kvstore.testkit.redis.RedisCluster}),
 * the binary they run ({@link io.kvstore.testkit.redis.RedisBinary}) and a proxy that adds
 * latency or cuts connections ({@link io.kvstore.testkit.redis.TcpProxy}).
 */
@NullMarked
package io.kvstore.testkit.redis;

import org.jspecify.annotations.NullMarked;
