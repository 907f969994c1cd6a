package io.kvstore.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvValidationException;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.testkit.StoreFixture;
import io.kvstore.testing.Workout;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cells of {@link StoreMatrix} that must not open: a near cache over a sliding TTL, on
 * every store and listing. The namespace is refused when it is opened, with a
 * {@link KvValidationException} naming {@code nearCache} and the reason, whichever order the
 * options are set in, nothing reaches the store, and the same namespace without the near cache
 * opens and works on that store.
 */
@ExtendWith(SharedRedis.class)
class IllegalCombinationsTest {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final TtlPolicy SLIDING = TtlPolicy.sliding(Duration.ofMinutes(5));

  /** The cells and their numbers as {@link StoreMatrixTest} documents them. */
  @Test
  void theMatrixHasTwelveLegalCellsAndSixIllegalOnes() {
    assertEquals(List.of(
        "embedded, sorted map, near cache off", "embedded, sorted map, near cache on",
        "embedded with latency, sorted map, near cache off",
        "embedded with latency, sorted map, near cache on",
        "Redis, SCAN, near cache off", "Redis, SCAN, near cache on",
        "Redis, indexed, near cache off", "Redis, indexed, near cache on",
        "Redis Cluster, SCAN, near cache off", "Redis Cluster, SCAN, near cache on",
        "Redis Cluster, indexed, near cache off", "Redis Cluster, indexed, near cache on"),
        StoreMatrix.legal().stream().map(StoreFixture::toString).toList());
    assertEquals(6, StoreMatrix.nearCacheOverSlidingTtl().size());
  }

  @ParameterizedTest(name = "{0}, sliding TTL")
  @MethodSource("io.kvstore.contract.StoreMatrix#nearCacheOverSlidingTtl")
  void aNearCacheOverASlidingTtlIsRejectedWhenTheNamespaceIsOpened(StoreFixture cell) {
    String name = "sliding-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    NearCacheOptions nearCache = NearCacheOptions.builder().build();
    try (KvStore store = cell.open()) {
      long trips = KvRoundTrips.count(store, () -> {
        assertRejected(name, () -> store.namespace(cell.configure(
            NamespaceOptions.builder(name, Workout.class)).ttl(SLIDING).nearCache(nearCache)
            .build()));
        assertRejected(name, () -> store.namespace(cell.configure(
            NamespaceOptions.builder(name, Workout.class)).nearCache(nearCache).ttl(SLIDING)
            .build()));
        NamespaceOptions<Workout> cached = cell.configure(
            NamespaceOptions.builder(name, Workout.class)).nearCache(nearCache).build();
        assertRejected(name, () -> store.namespace(cached.toBuilder().ttl(SLIDING).build()));
      });
      assertEquals(0, trips, "a rejected namespace must not reach the store");

      KvNamespace<Workout> plain = store.namespace(cell.configure(
          NamespaceOptions.builder(name, Workout.class).ttl(SLIDING)).build());
      Workout w = Workout.of("u", 1, 1);
      plain.blocking().put("k", w);
      assertEquals(Optional.of(w), plain.blocking().get("k"));
    }
  }

  private static void assertRejected(String name, Supplier<KvNamespace<Workout>> open) {
    KvValidationException e = assertThrows(KvValidationException.class, open::get);
    assertEquals("nearCache", e.argument(), e.getMessage());
    assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("sliding TTL"), e.getMessage());
  }
}
