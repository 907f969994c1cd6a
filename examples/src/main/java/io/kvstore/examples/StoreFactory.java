package io.kvstore.examples;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.redis.RedisKvStore;

/** Opens the service's store: the one place that decides which store the service runs on. */
final class StoreFactory {
  private StoreFactory() {}

  /**
   * Opens the store the options select. The caller owns it and closes it.
   *
   * @param options the parsed options
   * @return the open store
   * @throws io.kvstore.KvUnavailableException if Redis mode is selected and Redis is down
   */
  static KvStore open(ServiceOptions options) {
    if (options.redisUri() != null) {
      return openRedis(options.redisUri());
    }
    return KvStores.inMemory(InMemoryOptions.builder()
        .latency(options.latency())
        .maxConcurrentRequests(options.maxConcurrentRequests())
        .build());
  }

  /**
   * Redis mode ({@code --redis URI} or {@code KVSTORE_REDIS_URI}): one multiplexed connection
   * for the whole service.
   *
   * @param uri the Redis URI, such as {@code redis://localhost:6379}
   * @return the open store
   * @throws io.kvstore.KvUnavailableException if Redis cannot be reached at start-up
   */
  static KvStore openRedis(String uri) {
    return RedisKvStore.connect(uri);
  }
}
