package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Coalesced gets on a Redis Cluster of 3 masters: 100 concurrent gets of keys spread over all
 * of them are one batch, grouped by slot and node and sent to every master at once, one round
 * trip touching each master once.
 */
class RedisClusterCoalescedGetTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.cluster();

  @Test
  void hundredConcurrentGetsOverThreeMastersAreOneRoundTripPerMaster() {
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
      List<RedisServer> masters = REDIS.redisCluster().masters();
      Set<Integer> holding = masters.stream().filter(m -> (Long) m.call("DBSIZE") > 0)
          .map(RedisServer::port).collect(Collectors.toSet());
      assertEquals(3, holding.size());

      // A get already in flight (the masters paused for a moment, a slow network) so that the
      // 100 gets all queue behind it, whatever the speed of this thread.
      events.clear();
      List<String> keys = new ArrayList<>(data.keySet());
      List<CompletableFuture<Optional<Workout>>> gets = RedisCoalescedGetTest.burst(masters, ns,
          prepend("in-flight", keys));
      assertEquals(Optional.empty(), gets.get(0).join());
      for (int i = 0; i < keys.size(); i++) {
        assertEquals(Optional.of(data.get(keys.get(i))), gets.get(i + 1).join());
      }

      assertEquals(101, events.size());
      assertEquals(101, events.stream().filter(e -> e.operation() == KvOperation.GET).count());
      assertEquals(2, events.stream().mapToInt(KvEvent::roundTrips).sum());
      // The batch of 100: one round trip, counted on one of its gets, reaching the 3 masters.
      List<KvEvent> batch = events.stream().filter(e -> e.roundTrips() > 0 && e.nodes() > 1)
          .toList();
      assertEquals(1, batch.size(), events::toString);
      assertEquals(1, batch.get(0).roundTrips());
      assertEquals(3, batch.get(0).nodes());
    }
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>(rest.size() + 1);
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
