package io.kvstore.examples;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvStore;
import io.kvstore.KvListener;
import io.kvstore.KvStores;
import io.kvstore.ObservabilityOptions;
import io.kvstore.SimulatedEdge;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;

/** Opens the service's store: the one place that decides which store the service runs on. */
final class StoreFactory {
  private StoreFactory() {}

  /**
   * Opens the store the options select. The caller owns it and closes it.
   *
   * <p>Redis mode ({@code --redis URI} or {@code KVSTORE_REDIS_URI}) opens one multiplexed
   * connection for the whole service.
   *
   * @param options the parsed options
   * @param listener told of every operation (the service's per-request {@code Server-Timing})
   * @return the open store
   * @throws io.kvstore.KvUnavailableException if Redis mode is selected and Redis is down
   */
  static KvStore open(ServiceOptions options, KvListener listener) {
    ObservabilityOptions observability = ObservabilityOptions.builder().listener(listener).build();
    if (options.redisUri() != null) {
      return RedisKvStore.connect(options.redisUri(),
          RedisKvOptions.builder().observability(observability).build());
    }
    boolean simulated = !options.latency().isZero()
        || options.maxConcurrentRequests() != SimulatedEdge.UNBOUNDED;
    return KvStores.inMemory(InMemoryOptions.builder()
        .simulatedEdge(simulated ? SimulatedEdge.latency(options.latency())
            .withMaxConcurrentRequests(options.maxConcurrentRequests()) : null)
        .observability(observability)
        .build());
  }
}
