package io.kvstore.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.UpdateOptions;
import io.kvstore.testkit.StoreFixture;
import io.kvstore.testkit.redis.RedisStoreFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No lost updates: 8 threads each run 500 {@code update}s that increment one record, and the
 * record ends at exactly 4,000, on the embedded store (near cache off and on), one Redis server
 * and a Redis Cluster (indexed listing, near cache on: the index and the invalidations are kept
 * by the same conditional writes). Each update may retry many times under this contention, so the
 * attempts are raised; the assertion is on values only, never on time.
 */
@ExtendWith(SharedRedis.class)
@ParameterizedClass(name = "{0}")
@MethodSource("cells")
class UpdateConcurrencyTest {
  static final int THREADS = 8;
  static final int UPDATES_PER_THREAD = 500;

  @Parameter
  StoreFixture cell;

  static List<StoreFixture> cells() {
    return List.of(new EmbeddedFixture(false, false), new EmbeddedFixture(false, true),
        RedisStoreFixture.server(SharedRedis::server).withListing(Listing.UNINDEXED)
            .withNearCache(false),
        RedisStoreFixture.cluster(SharedRedis::cluster).withListing(Listing.INDEXED)
            .withNearCache(true));
  }

  @Test
  void concurrentIncrementsAreNeverLost() throws Exception {
    try (KvStore store = cell.open()) {
      KvNamespace<String> ns = store.namespace(cell.configure(
          NamespaceOptions.builder("counter-" + ProcessHandle.current().pid(), KvCodec.utf8()))
          .build());
      assertEquals(Optional.of(Long.toString(THREADS * UPDATES_PER_THREAD)),
          incrementConcurrently(ns));
    }
  }

  /** Runs the increments from {@link #THREADS} threads and returns the final value. */
  static Optional<String> incrementConcurrently(KvNamespace<String> ns) throws Exception {
    UpdateOptions options = UpdateOptions.builder().maxAttempts(1000)
        .backoff(Duration.ZERO, Duration.ofMillis(5)).build();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        done.add(threads.submit(() -> {
          for (int i = 0; i < UPDATES_PER_THREAD; i++) {
            ns.blocking().update("n", current -> Optional.of(
                Long.toString(current.map(Long::parseLong).orElse(0L) + 1)), options);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    return ns.blocking().get("n");
  }
}
