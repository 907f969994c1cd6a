package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvEntry;
import io.kvstore.KvEvent;
import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvOperation;
import io.kvstore.KvStore;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.testkit.redis.RedisExtension;
import io.kvstore.testkit.redis.RedisServer;
import io.kvstore.testing.Workout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Indexed namespaces on a 3-master Cluster: a partition's index and values share one slot, a
 * {@code firstSegment(':')} namespace spreads its users over every master, and reindexing moves
 * SCAN-layout keys from every master into their partitions' slots.
 */
class RedisClusterIndexedTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.cluster();

  private static final Listing BY_USER = Listing.indexedBy(Listing.firstSegment(':'));

  private final List<KvEvent> events = new CopyOnWriteArrayList<>();
  private KvStore store;

  @BeforeEach
  void open() {
    REDIS.flushAll();
    store = RedisKvStore.connectCluster(REDIS.clusterUris(), RedisKvOptions.builder()
        .observability(ObservabilityOptions.builder().listener(KvListener.of(events::add))
            .build()).build());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Map<String, Workout> users(int count, int perUser) {
    Map<String, Workout> data = new TreeMap<>();
    for (int u = 0; u < count; u++) {
      for (int i = 0; i < perUser; i++) {
        Workout w = Workout.of("user-" + u, i / 4 + 1, i % 4 + 1);
        data.put(w.key(), w);
      }
    }
    return data;
  }

  private KvEvent last(KvOperation operation) {
    List<KvEvent> matching = events.stream().filter(e -> e.operation() == operation).toList();
    return matching.get(matching.size() - 1);
  }

  private static long keysOn(RedisServer master, String pattern) {
    return ((List<?>) master.call("KEYS", pattern)).size();
  }

  @Test
  void usersSpreadOverEveryMasterAndEachListsInOneRoundTrip() {
    KvNamespace<Workout> ns = store.namespace(
        NamespaceOptions.builder("workout", Workout.class).listing(BY_USER).build());
    Map<String, Workout> data = users(60, 8);
    ns.blocking().putAll(data);
    KvEvent putAll = last(KvOperation.PUT_ALL);
    assertEquals(1, putAll.roundTrips());
    assertEquals(3, putAll.nodes());
    for (RedisServer master : REDIS.redisCluster().masters()) {
      assertTrue(keysOn(master, "{workout:*}/index") > 0, "a master without users: " + master);
    }
    // Index and values of a partition share one slot.
    RedisServer any = REDIS.redisCluster().masters().get(0);
    assertEquals(any.call("CLUSTER", "KEYSLOT", "{workout:user-7}/index"),
        any.call("CLUSTER", "KEYSLOT", "{workout:user-7}:user-7:w01:d1"));

    for (int u : new int[] {0, 7, 59}) {
      String prefix = "user-" + u + ":";
      KvValuePage<Workout> page = ns.blocking().listValues(ListOptions.prefix(prefix));
      KvEvent listed = last(KvOperation.LIST_VALUES);
      assertEquals(1, listed.roundTrips());
      assertEquals(1, listed.nodes());
      List<String> expected = data.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
      assertEquals(expected, page.entries().stream().map(KvEntry::key).toList());
      page.entries().forEach(e -> assertEquals(data.get(e.key()), e.value()));
    }
    assertEquals(480L, ns.blocking().deleteAll(data.keySet()));
    assertEquals(1, last(KvOperation.DELETE_ALL).roundTrips());
    for (RedisServer master : REDIS.redisCluster().masters()) {
      assertEquals(0L, master.call("DBSIZE"));
    }
  }

  @Test
  void reindexMovesKeysFromEveryMasterIntoTheirPartitions() {
    KvNamespace<Workout> legacy = store.namespace(
        NamespaceOptions.builder("legacy", Workout.class).build());
    Map<String, Workout> data = users(30, 4);
    legacy.blocking().putAll(data);
    for (RedisServer master : REDIS.redisCluster().masters()) {
      assertTrue(keysOn(master, "legacy:*") > 0, "SCAN keys are spread: " + master);
    }
    KvNamespace<Workout> indexed = store.namespace(
        NamespaceOptions.builder("legacy", Workout.class).listing(BY_USER).build());

    assertEquals(120L, indexed.blocking().reindex());

    for (RedisServer master : REDIS.redisCluster().masters()) {
      assertEquals(0L, keysOn(master, "legacy:*"));
    }
    Map<String, Workout> listed = new TreeMap<>();
    for (int u = 0; u < 30; u++) {
      indexed.blocking().listValues(ListOptions.prefix("user-" + u + ":")).entries()
          .forEach(e -> listed.put(e.key(), e.value()));
    }
    assertEquals(data, listed);
    assertEquals(data, new TreeMap<>(indexed.blocking().getAll(new ArrayList<>(data.keySet()))));
    assertEquals(120L, indexed.blocking().reindex());
  }
}
