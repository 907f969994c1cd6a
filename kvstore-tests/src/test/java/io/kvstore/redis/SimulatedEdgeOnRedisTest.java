package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.NamespaceOptions;
import io.kvstore.SimulatedEdge;
import io.kvstore.contract.SharedRedis;
import io.kvstore.testing.Workout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The simulated edge is a setting of every store, not of the embedded one alone: on a real Redis
 * it adds a round trip per call (never per key), caps calls in flight, and close() fails the calls
 * it still holds. Elapsed time is only bounded from below (timers never fire early).
 */
@ExtendWith(SharedRedis.class)
class SimulatedEdgeOnRedisTest {
  private static final Duration RTT = Duration.ofMillis(20);

  private static KvStore open(SimulatedEdge edge) {
    return RedisKvStore.connect(SharedRedis.server().uri(),
        RedisKvOptions.builder().simulatedEdge(edge).build());
  }

  @Test
  void aLoopOfGetsPaysTheEdgeOncePerGetAndGetAllOnce() {
    SharedRedis.server().flushAll();
    Map<String, Workout> data = Workout.program("user-42", 16);
    try (KvStore store = open(SimulatedEdge.latency(RTT))) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      ns.blocking().putAll(data);

      List<Workout> sequential = new ArrayList<>();
      long start = System.nanoTime();
      long loopTrips = KvRoundTrips.count(store, () -> data.keySet()
          .forEach(key -> sequential.add(ns.blocking().get(key).orElseThrow())));
      Duration loop = Duration.ofNanos(System.nanoTime() - start);
      long batchTrips = KvRoundTrips.count(store, () -> assertEquals(data,
          ns.getAll(data.keySet()).join()));

      assertEquals(List.copyOf(data.values()), sequential);
      assertEquals(data.size(), loopTrips);
      assertEquals(1, batchTrips);
      assertTrue(loop.compareTo(RTT.multipliedBy(data.size())) >= 0, loop::toString);
    }
  }

  @Test
  void aCapOfTwoMakesParallelGetsComeInWaves() {
    SharedRedis.server().flushAll();
    Map<String, Workout> data = Workout.program("user-7", 8);
    try (KvStore store = open(SimulatedEdge.latency(RTT).withMaxConcurrentRequests(2))) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("workout", Workout.class).coalesceGets(false).build());
      ns.blocking().putAll(data);
      long start = System.nanoTime();
      CompletableFuture.allOf(data.keySet().stream().map(ns::get)
          .toArray(CompletableFuture[]::new)).join();
      Duration parallel = Duration.ofNanos(System.nanoTime() - start);
      // 8 gets through 2 slots: 4 waves of at least one round trip each.
      assertTrue(parallel.compareTo(RTT.multipliedBy(4)) >= 0, parallel::toString);
    }
  }

  @Test
  void closeFailsTheCallsStillWaitingAtTheEdge() {
    KvStore store = open(SimulatedEdge.latency(Duration.ofSeconds(30)));
    KvNamespace<String> ns = store.namespace(
        NamespaceOptions.builder("edge-close", String.class).build());
    CompletableFuture<?> waiting = ns.put("k", "v");
    store.close();
    CompletionException e = assertThrows(CompletionException.class, waiting::join);
    assertInstanceOf(KvUnavailableException.class, e.getCause());
  }

  @Test
  void badSettingsAreRefusedWhenTheEdgeIsMade() {
    assertThrows(KvValidationException.class, () -> SimulatedEdge.latency(Duration.ofMillis(-1)));
    assertThrows(KvValidationException.class,
        () -> SimulatedEdge.latency(Duration.ofMillis(5), Duration.ofMillis(4)));
    assertThrows(KvValidationException.class,
        () -> SimulatedEdge.latency(RTT).withMaxConcurrentRequests(0));
    assertThrows(KvValidationException.class, () -> SimulatedEdge.latency(null));
  }
}
