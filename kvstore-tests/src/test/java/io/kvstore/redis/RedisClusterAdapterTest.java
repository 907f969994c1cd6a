package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvEvent;
import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvOperation;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.testkit.RedisExtension;
import io.kvstore.testkit.RedisServer;
import io.kvstore.testkit.Workout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cluster batches: keys on every master, grouped per node, in one round trip. */
class RedisClusterAdapterTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.cluster();

  @Test
  void getAllAcrossAllMastersIsOneRoundTripTouchingEachNode() {
    REDIS.flushAll();
    List<KvEvent> events = new CopyOnWriteArrayList<>();
    RedisKvOptions options = RedisKvOptions.builder().observability(ObservabilityOptions.builder()
        .listener(KvListener.of(events::add)).build()).build();
    try (KvStore store = RedisKvStore.connectCluster(REDIS.clusterUris(), options)) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      Map<String, Workout> data = new LinkedHashMap<>();
      for (int i = 0; i < 100; i++) {
        data.put("user-" + i + ":w01:d1", Workout.of("user-" + i, 1, 1));
      }
      ns.blocking().putAll(data);

      // The keys really are spread: every master holds some of them.
      Set<Integer> mastersHolding = REDIS.redisCluster().masters().stream()
          .filter(m -> (Long) m.call("DBSIZE") > 0)
          .map(RedisServer::port).collect(Collectors.toSet());
      assertEquals(3, mastersHolding.size());

      events.clear();
      assertEquals(data, ns.blocking().getAll(data.keySet()));
      KvEvent getAll = events.get(0);
      assertEquals(KvOperation.GET_ALL, getAll.operation());
      assertEquals(1, getAll.roundTrips());
      assertEquals(3, getAll.nodes());
      assertEquals(100, getAll.found());
    }
  }

  @Test
  void unusedInMemoryOptionsKeepCompiling() {
    // Guards the shared options types used by both stores from drifting apart.
    assertEquals(InMemoryOptions.UNBOUNDED, InMemoryOptions.builder().build()
        .maxConcurrentRequests());
  }
}
