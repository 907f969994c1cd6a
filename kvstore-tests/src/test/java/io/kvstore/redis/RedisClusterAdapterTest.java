package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvEvent;
import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvOperation;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.testkit.redis.RedisExtension;
import io.kvstore.testkit.redis.RedisServer;
import io.kvstore.testing.Workout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cluster batches: keys on every master, grouped per node, in one round trip, whether they come
 * from one getAll or from concurrent gets coalesced into a batch.
 */
class RedisClusterAdapterTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.cluster();

  /** 100 workouts whose keys fall on all three masters. */
  private static Map<String, Workout> hundredWorkouts() {
    Map<String, Workout> data = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      data.put("user-" + i + ":w01:d1", Workout.of("user-" + i, 1, 1));
    }
    return data;
  }

  /**
   * Opens a store on the cluster whose events go to {@code events}, writes {@code data} through
   * it and checks that every master holds some of it.
   */
  private static KvStore seeded(List<KvEvent> events, Map<String, Workout> data) {
    REDIS.flushAll();
    RedisKvOptions options = RedisKvOptions.builder()
        .observability(ObservabilityOptions.builder().listener(KvListener.of(events::add)).build())
        .build();
    KvStore store = RedisKvStore.connectCluster(REDIS.clusterUris(), options);
    workouts(store).blocking().putAll(data);
    Set<Integer> mastersHolding = REDIS.redisCluster().masters().stream()
        .filter(m -> (Long) m.call("DBSIZE") > 0)
        .map(RedisServer::port).collect(Collectors.toSet());
    assertEquals(3, mastersHolding.size());
    events.clear();
    return store;
  }

  private static KvNamespace<Workout> workouts(KvStore store) {
    return store.namespace(NamespaceOptions.builder("workout", Workout.class).build());
  }

  @Test
  void getAllAcrossAllMastersIsOneRoundTripTouchingEachNode() {
    List<KvEvent> events = new CopyOnWriteArrayList<>();
    Map<String, Workout> data = hundredWorkouts();
    try (KvStore store = seeded(events, data)) {
      assertEquals(data, workouts(store).blocking().getAll(data.keySet()));
      KvEvent getAll = events.get(0);
      assertEquals(KvOperation.GET_ALL, getAll.operation());
      assertEquals(1, getAll.roundTrips());
      assertEquals(3, getAll.nodes());
      assertEquals(100, getAll.found());
    }
  }

  /**
   * Coalesced gets: 100 concurrent gets of keys on all three masters leave in batches, each
   * grouped by slot and node and sent to its masters at once: one round trip per batch, counted
   * on one of its gets, reaching at most the 3 masters. How many batches depends on how far
   * this thread gets before the I/O thread sends (see {@code RedisCoalescedGetTest}).
   */
  @Test
  void hundredConcurrentGetsOverThreeMastersAreBatchesOfOneRoundTripEach() {
    List<KvEvent> events = new CopyOnWriteArrayList<>();
    Map<String, Workout> data = hundredWorkouts();
    try (KvStore store = seeded(events, data)) {
      List<String> keys = new ArrayList<>();
      keys.add("missing");
      keys.addAll(data.keySet());
      RedisCoalescedGetTest.warmUp(store);
      events.clear();
      List<CompletableFuture<Optional<Workout>>> gets = RedisCoalescedGetTest.burst(
          workouts(store), keys);
      for (int i = 0; i < keys.size(); i++) {
        assertEquals(Optional.ofNullable(data.get(keys.get(i))), gets.get(i).join());
      }

      List<KvEvent> got = events.stream().filter(e -> e.operation() == KvOperation.GET)
          .toList();
      assertEquals(101, got.size());
      List<KvEvent> batches = got.stream().filter(e -> e.roundTrips() > 0).toList();
      assertTrue(batches.size() < 101, batches.size() + " batches");
      assertTrue(batches.stream().allMatch(e -> e.roundTrips() == 1 && e.nodes() <= 3),
          events::toString);
    }
  }
}
