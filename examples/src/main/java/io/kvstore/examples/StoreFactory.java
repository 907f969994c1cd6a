package io.kvstore.examples;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvException;
import io.kvstore.KvStore;
import io.kvstore.KvListener;
import io.kvstore.KvStores;
import io.kvstore.ObservabilityOptions;
import io.kvstore.SimulatedEdge;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.sqlite.SqliteKvStore;
import io.kvstore.sqlite.SqliteOptions;
import java.io.IOException;
import java.nio.file.Files;

/** Opens the service's store: the one place that decides which store the service runs on. */
final class StoreFactory {
  private StoreFactory() {}

  /**
   * Opens the store the options select. The caller owns it and closes it.
   *
   * <p>Redis mode ({@code --redis URI} or {@code KVSTORE_REDIS_URI}) opens one multiplexed
   * connection for the whole service. Otherwise the store is embedded: durable (SQLite, in
   * {@link ServiceOptions#dataDir()}) unless the options ask for the in-memory one, and either
   * behind the simulated edge network the options describe, if any.
   *
   * @param options the parsed options
   * @param listener told of every operation (the service's per-request {@code Server-Timing})
   * @return the open store
   * @throws io.kvstore.KvUnavailableException if Redis mode is selected and Redis is down, or
   *     another process has the data directory's store open
   * @throws io.kvstore.KvException if the data directory cannot be written or holds a file that
   *     is not a kvstore database
   */
  static KvStore open(ServiceOptions options, KvListener listener) {
    ObservabilityOptions observability = ObservabilityOptions.builder().listener(listener).build();
    if (options.redisUri() != null) {
      return RedisKvStore.connect(options.redisUri(),
          RedisKvOptions.builder().observability(observability).build());
    }
    boolean simulated = !options.latency().isZero()
        || options.maxConcurrentRequests() != SimulatedEdge.UNBOUNDED;
    SimulatedEdge edge = simulated ? SimulatedEdge.latency(options.latency())
        .withMaxConcurrentRequests(options.maxConcurrentRequests()) : null;
    if (options.dataDir() == null) {
      return KvStores.inMemory(InMemoryOptions.builder()
          .simulatedEdge(edge).observability(observability).build());
    }
    try {
      // A directory, so the store keeps kvstore.db inside it (a missing path would be the file).
      Files.createDirectories(options.dataDir());
    } catch (IOException e) {
      throw new KvException("cannot create the data directory " + options.dataDir()
          + " (" + e + "); choose another with --data", e);
    }
    return SqliteKvStore.open(options.dataDir(), SqliteOptions.builder()
        .simulatedEdge(edge).observability(observability).build());
  }
}
