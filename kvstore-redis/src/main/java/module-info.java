/**
 * The Redis adapter for kvstore: {@link io.kvstore.redis.RedisKvStore} opens a store on one Redis
 * server or a Redis Cluster. Lettuce stays an implementation detail: no Lettuce type appears in
 * the exported package.
 */
module io.kvstore.redis {
  requires transitive io.kvstore;
  requires lettuce.core;
  requires io.netty.common;

  exports io.kvstore.redis;
}
