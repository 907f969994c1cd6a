package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvPage;
import io.kvstore.KvStore;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.testkit.redis.RedisExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SCAN cursors are exact over a static keyspace: 2,000 keys of about 480 bytes among 1,000
 * keys of another namespace, walked page after page with a fixed limit, a limit changing between
 * pages and a random limit per page, list every key exactly once, on one server and on Cluster.
 * Long keys are what used to overflow the cursor's size budget and send pages down the
 * repeat-the-call fallback.
 */
class ScanCursorExactnessTest {
  @RegisterExtension
  static final RedisExtension SERVER = RedisExtension.server();

  @RegisterExtension
  static final RedisExtension CLUSTER = RedisExtension.cluster();

  /** Where the keys live. */
  enum Fixture { SERVER, CLUSTER }

  /** How a walk picks each page's limit from the page number. */
  enum Limits {
    FIXED_30(page -> 30),
    FIXED_7(page -> 7),
    ONE_THEN_1000(page -> page == 0 ? 1 : 1000),
    ALTERNATING_1_AND_1000(page -> page % 2 == 0 ? 1 : 1000),
    RANDOM_1_TO_1000(randomLimits(42, 1000)),
    RANDOM_1_TO_40(randomLimits(7, 40));

    final IntUnaryOperator limit;

    Limits(IntUnaryOperator limit) {
      this.limit = limit;
    }

    private static IntUnaryOperator randomLimits(long seed, int max) {
      Map<Integer, Integer> chosen = new HashMap<>();
      Random random = new Random(seed);
      return page -> chosen.computeIfAbsent(page, p -> 1 + random.nextInt(max));
    }
  }

  private static final Map<String, String> LONG = new TreeMap<>();
  private static final Map<Fixture, KvStore> STORES = new HashMap<>();

  @BeforeAll
  static void fill() {
    Random random = new Random(2026);
    for (int i = 0; i < 2000; i++) {
      // One key in four is written in three-byte characters: about 480 bytes, 160 characters.
      boolean wide = i % 4 == 0;
      StringBuilder key = new StringBuilder("p:").append(i).append(':');
      int length = wide ? 155 + random.nextInt(5) : 470 + random.nextInt(20);
      while (key.length() < length) {
        key.append(wide ? (char) ('\u4e00' + random.nextInt(500))
            : (char) ('a' + random.nextInt(26)));
      }
      LONG.put(key.toString(), "v" + i);
    }
    Map<String, String> others = new LinkedHashMap<>();
    for (int i = 0; i < 1000; i++) {
      others.put("p:other-" + i, "o" + i);
    }
    STORES.put(Fixture.SERVER, RedisKvStore.connect(SERVER.uri()));
    STORES.put(Fixture.CLUSTER, RedisKvStore.connectCluster(CLUSTER.clusterUris()));
    for (KvStore store : STORES.values()) {
      namespace(store, "long").blocking().putAll(LONG);
      namespace(store, "other").blocking().putAll(others);
    }
  }

  @AfterAll
  static void close() {
    STORES.values().forEach(KvStore::close);
  }

  private static KvNamespace<String> namespace(KvStore store, String name) {
    return store.namespace(NamespaceOptions.builder(name, KvCodec.utf8()).build());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Limits.class)
  void everyKeyIsListedExactlyOnceOnOneServer(Limits limits) {
    assertExactWalk(Fixture.SERVER, limits);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Limits.class)
  void everyKeyIsListedExactlyOnceOnCluster(Limits limits) {
    assertExactWalk(Fixture.CLUSTER, limits);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Fixture.class)
  void listValuesWalksAreExactToo(Fixture fixture) {
    KvNamespace<String> ns = namespace(STORES.get(fixture), "long");
    IntUnaryOperator limits = Limits.RANDOM_1_TO_40.limit;
    Map<String, Integer> seen = new HashMap<>();
    Map<String, String> values = new HashMap<>();
    String cursor = null;
    int page = 0;
    do {
      KvValuePage<String> result = ns.blocking().listValues(
          options(limits.applyAsInt(page++), cursor));
      result.entries().forEach(e -> {
        seen.merge(e.key(), 1, Integer::sum);
        values.put(e.key(), e.value());
      });
      cursor = result.cursor().orElse(null);
      assertTrue(page < 100_000, "the walk does not end");
    } while (cursor != null);
    assertExactlyOnce(seen);
    assertEquals(LONG, new TreeMap<>(values));
  }

  private static void assertExactWalk(Fixture fixture, Limits limits) {
    KvNamespace<String> ns = namespace(STORES.get(fixture), "long");
    Map<String, Integer> seen = new HashMap<>();
    String cursor = null;
    int page = 0;
    do {
      int limit = limits.limit.applyAsInt(page++);
      KvPage result = ns.blocking().list(options(limit, cursor));
      assertTrue(result.keys().size() <= limit, "page larger than its limit");
      result.names().forEach(name -> seen.merge(name, 1, Integer::sum));
      cursor = result.cursor().orElse(null);
      assertTrue(page < 100_000, "the walk does not end");
    } while (cursor != null);
    assertExactlyOnce(seen);
  }

  private static ListOptions options(int limit, String cursor) {
    ListOptions options = ListOptions.prefix("p:").limit(limit);
    return cursor == null ? options : options.cursor(cursor);
  }

  private static void assertExactlyOnce(Map<String, Integer> seen) {
    List<String> missing = new ArrayList<>();
    for (String key : LONG.keySet()) {
      if (!seen.containsKey(key)) {
        missing.add(key);
      }
    }
    List<String> repeated = seen.entrySet().stream().filter(e -> e.getValue() > 1)
        .map(Map.Entry::getKey).toList();
    List<String> foreign = seen.keySet().stream().filter(k -> !LONG.containsKey(k)).toList();
    assertEquals("0 missing, 0 repeated, 0 foreign", missing.size() + " missing, "
        + repeated.size() + " repeated, " + foreign.size() + " foreign");
  }
}
