package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvEntry;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.testkit.KvStoreContract.Sample;
import io.kvstore.testkit.internal.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code KvStoreContract.RoundTrips}, run there as a {@code @Nested} section on
 * the contract's fixture: round trips per call: batches are one, N single gets are N.
 */
abstract class RoundTripsSection extends ContractSection {
  @Test
  void getAllOf64KeysIsOneRoundTrip() {
    KvNamespace<Sample> ns = workouts();
    Map<String, Sample> data = workoutsOf("rt", 64);
    ns.blocking().putAll(data);
    AtomicReference<Map<String, Sample>> got = new AtomicReference<>();
    assertEquals(1,
        KvRoundTrips.count(store, () -> got.set(ns.blocking().getAll(data.keySet()))));
    assertEquals(data, got.get());
  }

  @Test
  void sixtyFourSequentialGetsAreSixtyFourRoundTrips() {
    KvNamespace<Sample> ns = workouts();
    Map<String, Sample> data = workoutsOf("seq", 64);
    ns.blocking().putAll(data);
    List<Sample> got = new ArrayList<>();
    long trips = KvRoundTrips.count(store, () -> {
      for (String key : data.keySet()) {
        got.add(ns.blocking().get(key).orElseThrow());
      }
    });
    assertEquals(64, trips);
    assertEquals(new ArrayList<>(data.values()), got);
  }

  /**
   * One round trip each, plus one for the invalidation on a store that
   * {@link StoreFixture.Capability#INVALIDATES_AFTER_WRITE publishes it after the write}.
   */
  @Test
  void batchWritesAndDeletesAreOneRoundTripEach() {
    KvNamespace<Sample> ns = workouts();
    Map<String, Sample> data = workoutsOf("bw", 64);
    int expected = Fixtures.writeRoundTrips(fixture);
    assertEquals(expected, KvRoundTrips.count(store, () -> ns.blocking().putAll(data)),
        "putAll of 64 keys");
    assertEquals(expected, KvRoundTrips.count(store,
        () -> ns.blocking().deleteAll(data.keySet())), "deleteAll of 64 keys");
  }

  @Test
  void listValuesOf64KeysIsAtMostTwoRoundTrips() {
    KvNamespace<Sample> ns = workouts();
    Map<String, Sample> data = workoutsOf("lv64", 64);
    ns.blocking().putAll(data);
    ns.blocking().putAll(workoutsOf("other", 64));
    AtomicReference<KvValuePage<Sample>> page = new AtomicReference<>();
    long trips = KvRoundTrips.count(store,
        () -> page.set(ns.blocking().listValues(ListOptions.prefix("lv64:").limit(100))));
    assertTrue(trips <= 2, trips + " round trips");
    assertEquals(64, page.get().entries().size());
    assertEquals(data.keySet(), page.get().entries().stream().map(KvEntry::key)
        .collect(Collectors.toSet()));
  }

  @Test
  void parallelGetsAllComplete() {
    KvNamespace<Sample> ns = workouts();
    Map<String, Sample> data = workoutsOf("par", 64);
    ns.blocking().putAll(data);
    List<CompletableFuture<Optional<Sample>>> futures =
        data.keySet().stream().map(ns::get).toList();
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    assertEquals(new ArrayList<>(data.values()),
        futures.stream().map(f -> f.join().orElseThrow()).toList());
  }
}
