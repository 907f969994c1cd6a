package io.kvstore.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.NamespaceOptions;
import io.kvstore.SimulatedEdge;
import io.kvstore.testing.Workout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed scenario on a simulated edge: 64 workout records, 20 ms per round trip. Round trips
 * and values are asserted; elapsed time is only ever bounded from below (timers never fire
 * early), so these tests cannot flake on a slow machine.
 */
class EdgeLatencyTest {
  private static final Duration RTT = Duration.ofMillis(20);

  private KvStore store;

  @AfterEach
  void close() {
    store.close();
  }

  private KvNamespace<Workout> seeded(InMemoryOptions options, Map<String, Workout> data) {
    store = KvStores.inMemory(options);
    KvNamespace<Workout> ns = store.namespace(
        NamespaceOptions.builder("workout", Workout.class).build());
    ns.blocking().putAll(data);
    return ns;
  }

  private static Map<String, Workout> program(String user) {
    Map<String, Workout> data = new LinkedHashMap<>();
    for (int week = 1; week <= 16; week++) {
      for (int day = 1; day <= 4; day++) {
        Workout w = Workout.of(user, week, day);
        data.put(w.key(), w);
      }
    }
    return data;
  }

  @Test
  void sequentialGetsPayARoundTripEachWhileGetAllPaysOne() {
    Map<String, Workout> data = program("user-42");
    KvNamespace<Workout> ns = seeded(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(RTT)).build(), data);

    List<Workout> sequential = new ArrayList<>();
    long start = System.nanoTime();
    long sequentialTrips = KvRoundTrips.count(store, () -> {
      for (String key : data.keySet()) {
        sequential.add(ns.get(key).join().orElseThrow());
      }
    });
    Duration sequentialTime = Duration.ofNanos(System.nanoTime() - start);

    AtomicReference<Map<String, Workout>> batched = new AtomicReference<>();
    long batchedTrips = KvRoundTrips.count(store,
        () -> batched.set(ns.getAll(data.keySet()).join()));

    assertTrue(sequentialTrips >= 64, sequentialTrips + " round trips");
    assertEquals(1, batchedTrips);
    assertEquals(new ArrayList<>(data.values()), sequential);
    assertEquals(data, batched.get());
    assertTrue(sequentialTime.compareTo(RTT.multipliedBy(64)) >= 0, sequentialTime::toString);
  }

  @Test
  void withoutCoalescingACapOfSixMakesParallelGetsComeInWavesButNotGetAll() {
    // Coalescing (on by default) turns these 64 gets into 2 round trips: CoalescedGetTest.
    Map<String, Workout> data = program("user-7");
    KvNamespace<Workout> ns = seeded(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(RTT)
                .withMaxConcurrentRequests(6)).coalesceGets(false).build(), data);

    long start = System.nanoTime();
    long parallelTrips = KvRoundTrips.count(store, () -> {
      List<CompletableFuture<Optional<Workout>>> gets =
          data.keySet().stream().map(ns::get).toList();
      CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).join();
    });
    Duration parallel = Duration.ofNanos(System.nanoTime() - start);

    long getAllTrips = KvRoundTrips.count(store, () -> ns.getAll(data.keySet()).join());

    // 64 requests through 6 slots: ceil(64 / 6) = 11 waves of one round trip each.
    assertEquals(64, parallelTrips);
    assertTrue(parallel.compareTo(RTT.multipliedBy(11)) >= 0, "parallel took " + parallel);
    assertEquals(1, getAllTrips);
  }

  @Test
  void randomLatencyStaysWithinItsBounds() {
    Map<String, Workout> data = program("user-9");
    KvNamespace<Workout> ns = seeded(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(Duration.ofMillis(5), Duration.ofMillis(15)))
            .build(), data);
    long start = System.nanoTime();
    assertEquals(data, ns.getAll(data.keySet()).join());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 5);
  }
}
