package io.kvstore.examples;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvStore;
import io.kvstore.KvStores;

/** Opens the service's store: the one place that decides which store the service runs on. */
final class StoreFactory {
  private StoreFactory() {}

  /**
   * Opens the store the options select. The caller owns it and closes it.
   *
   * @param options the parsed options
   * @return the open store
   * @throws IllegalStateException if Redis mode is selected (not available yet)
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
   * Redis mode ({@code --redis URI} or {@code KVSTORE_REDIS_URI}).
   *
   * <p>TODO(lead): once examples depends on kvstore-redis, replace the body with
   * {@code return io.kvstore.redis.RedisKvStore.connect(uri);}
   *
   * @param uri the Redis URI, such as {@code redis://localhost:6379}
   * @return the open store
   * @throws IllegalStateException always, until the Redis adapter is wired in
   */
  static KvStore openRedis(String uri) {
    throw new IllegalStateException("Redis mode needs kvstore-redis, which this build of the"
        + " examples does not include yet; run without --redis and without KVSTORE_REDIS_URI"
        + " to use the embedded store");
  }
}
