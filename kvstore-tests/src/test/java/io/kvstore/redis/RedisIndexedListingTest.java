package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvEntry;
import io.kvstore.KvKey;
import io.kvstore.KvNamespace;
import io.kvstore.KvPage;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvValidationException;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.testing.Workout;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What indexed listing adds on a single server: the documented key layout, one round trip per
 * page and per batch, expiry during listing, the write-time sweep, concurrent writers, the prefix
 * rule of partitioned namespaces, and migration by {@code reindex()}.
 */
class RedisIndexedListingTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  private static final Listing BY_USER = Listing.indexedBy(Listing.firstSegment(':'));

  private KvStore store;

  @BeforeEach
  void open() {
    REDIS.flushAll();
    store = RedisKvStore.connect(REDIS.uri());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private KvNamespace<Workout> namespace(String name, Listing listing) {
    return store.namespace(NamespaceOptions.builder(name, Workout.class).listing(listing).build());
  }

  private static Object redis(String... command) {
    return REDIS.process().call(command);
  }

  private static Map<String, Workout> workouts(String user, int count) {
    Map<String, Workout> data = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      Workout w = Workout.of(user, i / 4 + 1, i % 4 + 1);
      data.put(w.key(), w);
    }
    return data;
  }

  /** Waits until Redis reports the key gone; expiry is the server's, so this must poll. */
  private static void awaitExpired(String key) {
    Awaits.until(key + " to expire", Duration.ofSeconds(5), () -> (Long) redis("PTTL", key) == -2);
  }

  @Test
  void valuesArePlainStringsAndTheIndexHasTheDocumentedNames() {
    KvNamespace<Workout> whole = namespace("workout", Listing.INDEXED);
    KvNamespace<Workout> byUser = namespace("done", BY_USER);
    Workout w = Workout.of("user-42", 1, 1);
    whole.blocking().put(w.key(), w);
    byUser.blocking().put(w.key(), w);

    assertTrue(((String) redis("GET", "{workout}:user-42:w01:d1")).contains("\"user-42\""));
    assertEquals(List.of("user-42:w01:d1"), redis("ZRANGE", "{workout}/index", "0", "-1"));
    assertTrue(((String) redis("GET", "{done:user-42}:user-42:w01:d1")).contains("\"user-42\""));
    assertEquals(List.of("user-42:w01:d1"),
        redis("ZRANGE", "{done:user-42}/index", "0", "-1"));
    assertEquals(List.of("{done:user-42}/index", "{done:user-42}:user-42:w01:d1",
        "{workout}/index", "{workout}:user-42:w01:d1"),
        ((List<?>) redis("KEYS", "*")).stream().map(String.class::cast).sorted().toList());
  }

  @Test
  void aPartitionWithBracesOrPercentKeepsItsOwnTag() {
    KvNamespace<Workout> byUser = namespace("done", BY_USER);
    byUser.blocking().put("a}b%c:1", Workout.of("a", 1, 1));
    assertEquals(List.of("a}b%c:1"), redis("ZRANGE", "{done:a%7Db%25c}/index", "0", "-1"));
    assertEquals(List.of("a}b%c:1"), byUser.blocking().list(ListOptions.prefix("a}b%c:")).names());
  }

  @Test
  void listValuesOf64KeysAmongOtherUsersIsOneRoundTripInOrder() {
    KvNamespace<Workout> ns = namespace("workout", Listing.INDEXED);
    Map<String, Workout> mine = workouts("user-42", 64);
    ns.blocking().putAll(mine);
    for (int u = 0; u < 20; u++) {
      ns.blocking().putAll(workouts("user-" + u, 64));
    }
    AtomicReference<KvValuePage<Workout>> page = new AtomicReference<>();
    assertEquals(1, KvRoundTrips.count(store,
        () -> page.set(ns.blocking().listValues(ListOptions.prefix("user-42:").limit(100)))));
    assertTrue(page.get().complete());
    List<String> keys = page.get().entries().stream().map(KvEntry::key).toList();
    assertEquals(new ArrayList<>(mine.keySet()), keys);
    page.get().entries().forEach(e -> assertEquals(mine.get(e.key()), e.value()));
  }

  @Test
  void batchesOverManyPartitionsAreOneRoundTripEach() {
    KvNamespace<Workout> ns = namespace("workout", BY_USER);
    Map<String, Workout> data = new TreeMap<>();
    for (int u = 0; u < 16; u++) {
      data.putAll(workouts("user-" + u, 4));
    }
    assertEquals(1, KvRoundTrips.count(store, () -> ns.blocking().putAll(data)));
    assertEquals(16L, redis("EVAL", "return #redis.call('KEYS', '{workout:*}/index')", "0"));
    AtomicReference<Long> deleted = new AtomicReference<>();
    List<String> keys = new ArrayList<>(data.keySet());
    keys.add("user-99:none");
    assertEquals(1, KvRoundTrips.count(store, () -> deleted.set(ns.blocking().deleteAll(keys))));
    assertEquals(64L, deleted.get());
    assertEquals(List.of(), redis("KEYS", "*"), "deletes leave no index behind");
  }

  @Test
  void keysExpiringBetweenPagesNeverAppearAndAreRemovedFromTheIndex() throws Exception {
    KvNamespace<Workout> ns = namespace("exp", Listing.INDEXED);
    Workout w = Workout.of("p", 1, 1);
    List<String> lasting = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String key = String.format("p:%02d", i);
      lasting.add(key);
      ns.blocking().put(key, w);
      ns.blocking().put(key + "s", w, PutOptions.ttl(Duration.ofSeconds(1)));
    }
    ListOptions options = ListOptions.prefix("p:").limit(4);
    KvPage first = ns.blocking().list(options);
    assertEquals(List.of("p:00", "p:00s", "p:01", "p:01s"), first.names());
    awaitExpired("{exp}:p:19s");

    List<String> rest = new ArrayList<>();
    KvPage page = first;
    while (!page.complete()) {
      page = ns.blocking().list(options.cursor(page.cursor().orElseThrow()));
      if (!page.complete()) {
        assertEquals(4, page.keys().size(), "pages are topped up past expired keys");
      }
      rest.addAll(page.names());
    }
    assertEquals(lasting.subList(2, 20), rest);
    // The 18 expired members the walk passed were pruned; the two before its start remain.
    assertEquals(22L, redis("ZCARD", "{exp}/index"));
    assertEquals(List.of(), ns.blocking().listValues(ListOptions.prefix("p:00s")).entries());
    assertEquals(21L, redis("ZCARD", "{exp}/index"));
  }

  @Test
  void writesSweepExpiredMembersWithinTheDocumentedBound() throws Exception {
    KvNamespace<Workout> ns = namespace("sweep", Listing.INDEXED);
    Workout w = Workout.of("s", 1, 1);
    Map<String, Workout> brief = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      brief.put(String.format("a:%03d", i), w);
    }
    ns.blocking().putAll(brief, PutOptions.ttl(Duration.ofMillis(200)));
    awaitExpired("{sweep}:a:099");
    assertEquals(100L, redis("ZCARD", "{sweep}/index"));

    // Each single write sweeps max(32, 2 x 1) members onwards from the last sweep position.
    ns.blocking().put("z", w);
    assertEquals(69L, redis("ZCARD", "{sweep}/index"));
    assertEquals("a:031", redis("GET", "{sweep}/sweep"));
    ns.blocking().put("y", w);
    assertEquals(38L, redis("ZCARD", "{sweep}/index"));
    assertEquals("a:063", redis("GET", "{sweep}/sweep"));
    ns.blocking().put("x", w);
    assertEquals(7L, redis("ZCARD", "{sweep}/index"));
    ns.blocking().put("w", w);
    // The sweep reached the end of the index: only live keys remain, and it starts over.
    assertEquals(List.of("w", "x", "y", "z"), redis("ZRANGE", "{sweep}/index", "0", "-1"));
    assertEquals(0L, redis("EXISTS", "{sweep}/sweep"));
  }

  @Test
  void aWalkWithConcurrentWritersReturnsEveryLastingKeyExactlyOnce() throws Exception {
    KvNamespace<Workout> ns = namespace("walk", Listing.INDEXED);
    Workout w = Workout.of("c", 1, 1);
    Map<String, Workout> lasting = new TreeMap<>();
    for (int i = 0; i < 300; i++) {
      lasting.put(String.format("c:%04d", i * 2), w);
    }
    ns.blocking().putAll(lasting);
    AtomicBoolean walking = new AtomicBoolean(true);
    CountDownLatch started = new CountDownLatch(2);
    ExecutorService writers = Executors.newFixedThreadPool(2);
    List<Future<Integer>> done = new ArrayList<>();
    try {
      for (int t = 0; t < 2; t++) {
        int id = t;
        done.add(writers.submit(() -> {
          int rounds = 0;
          while (walking.get() || rounds == 0) {
            // Keys between and around the lasting ones: added, then deleted again.
            Map<String, Workout> batch = new LinkedHashMap<>();
            for (int i = 0; i < 10; i++) {
              batch.put(String.format("c:%04d-%d", (rounds * 37 + i * 61) % 600, id), w);
            }
            ns.blocking().putAll(batch);
            started.countDown();
            ns.blocking().deleteAll(batch.keySet());
            rounds++;
          }
          return rounds;
        }));
      }
      started.await();
      List<String> walked = new ArrayList<>();
      ListOptions options = ListOptions.prefix("c:").limit(7);
      KvPage page = ns.blocking().list(options);
      walked.addAll(page.names());
      while (!page.complete()) {
        page = ns.blocking().list(options.cursor(page.cursor().orElseThrow()));
        walked.addAll(page.names());
      }
      walking.set(false);
      for (Future<Integer> f : done) {
        assertTrue(f.get() > 0);
      }
      List<String> lastingSeen = walked.stream().filter(lasting::containsKey).toList();
      assertEquals(new ArrayList<>(lasting.keySet()), lastingSeen);
      for (int i = 1; i < walked.size(); i++) {
        assertTrue(walked.get(i - 1).compareTo(walked.get(i)) < 0,
            "strictly increasing, so no key twice: " + walked.get(i - 1) + ", " + walked.get(i));
      }
    } finally {
      walking.set(false);
      writers.shutdownNow();
    }
  }

  @Test
  void aPrefixMustNameOnePartition() {
    KvNamespace<Workout> ns = namespace("workout", BY_USER);
    ns.blocking().putAll(workouts("user-42", 8));
    ns.blocking().putAll(workouts("user-43", 8));
    long trips = KvRoundTrips.count(store, () -> {
      for (String prefix : List.of("", "user-4", "user-42")) {
        KvValidationException e = assertThrows(KvValidationException.class,
            () -> ns.blocking().list(ListOptions.prefix(prefix)));
        assertEquals("prefix", e.argument());
        assertTrue(e.getMessage().contains("must contain the separator"), e.getMessage());
      }
    });
    assertEquals(0, trips);
    assertEquals(new ArrayList<>(workouts("user-42", 8).keySet()),
        ns.blocking().list(ListOptions.prefix("user-42:")).names());
    assertEquals(List.of("user-42:w01:d1", "user-42:w01:d2", "user-42:w01:d3", "user-42:w01:d4"),
        ns.blocking().list(ListOptions.prefix("user-42:w01")).names());
  }

  @Test
  void aCursorOfTheScanListingIsRejected() {
    KvNamespace<Workout> scan = namespace("mix", Listing.UNINDEXED);
    scan.blocking().putAll(workouts("m", 8));
    String cursor = scan.blocking().list(ListOptions.prefix("m:").limit(2)).cursor().orElseThrow();
    KvNamespace<Workout> indexed = namespace("mix", Listing.INDEXED);
    KvValidationException e = assertThrows(KvValidationException.class,
        () -> indexed.blocking().list(ListOptions.prefix("m:").cursor(cursor)));
    assertEquals("cursor", e.argument());
  }

  @Test
  void listValuesUnderASlidingTtlExtendsEachListedKey() {
    KvNamespace<Workout> ns = store.namespace(NamespaceOptions.builder("slide", Workout.class)
        .listing(Listing.INDEXED).ttl(TtlPolicy.sliding(Duration.ofHours(1))).build());
    ns.blocking().put("k:1", Workout.of("k", 1, 1), PutOptions.ttl(Duration.ofMinutes(1)));
    AtomicReference<KvValuePage<Workout>> page = new AtomicReference<>();
    assertEquals(1, KvRoundTrips.count(store,
        () -> page.set(ns.blocking().listValues(ListOptions.prefix("k:")))));
    assertEquals(List.of("k:1"), page.get().entries().stream().map(KvEntry::key).toList());
    long pttl = (Long) redis("PTTL", "{slide}:k:1");
    assertTrue(pttl > Duration.ofMinutes(59).toMillis(), "PTTL after listing: " + pttl);
  }

  @Test
  void scriptsAreSentAgainAfterTheServerForgetsThem() {
    KvNamespace<Workout> ns = namespace("flush", Listing.INDEXED);
    Workout w = Workout.of("f", 1, 1);
    assertEquals(1, KvRoundTrips.count(store, () -> ns.blocking().put("a", w)));
    assertEquals(1, KvRoundTrips.count(store, () -> ns.blocking().put("b", w)));
    redis("SCRIPT", "FLUSH");
    assertEquals(2, KvRoundTrips.count(store, () -> ns.blocking().put("c", w)));
    assertEquals(1, KvRoundTrips.count(store, () -> ns.blocking().put("d", w)));
    assertEquals(List.of("a", "b", "c", "d"), ns.blocking().list(ListOptions.all()).names());
  }

  @Test
  void reindexMovesAScanNamespaceIntoTheIndexAndCanBeRepeated() {
    KvNamespace<Workout> legacy = namespace("legacy", Listing.UNINDEXED);
    Map<String, Workout> data = new TreeMap<>(workouts("u", 40));
    legacy.blocking().putAll(data);
    Map<String, Workout> expiring = workouts("t", 10);
    legacy.blocking().putAll(expiring, PutOptions.ttl(Duration.ofHours(1)));
    data.putAll(expiring);
    KvNamespace<Workout> indexed = namespace("legacy", Listing.INDEXED);
    assertEquals(List.of(), indexed.blocking().list(ListOptions.all()).keys());
    // Written through the indexed namespace before the migration: newer, so it is kept.
    Workout newer = Workout.of("newer", 9, 9);
    indexed.blocking().put("u:w01:d1", newer);
    data.put("u:w01:d1", newer);

    assertEquals(50L, indexed.blocking().reindex());

    assertEquals(List.of(), redis("KEYS", "legacy:*"), "the old layout is gone");
    Map<String, Workout> listed = new TreeMap<>();
    List<String> order = new ArrayList<>();
    for (KvValuePage<Workout> page = indexed.blocking().listValues(ListOptions.all());;
        page = indexed.blocking().listValues(ListOptions.all().cursor(page.cursor().orElseThrow()))) {
      page.entries().forEach(e -> {
        listed.put(e.key(), e.value());
        order.add(e.key());
      });
      if (page.complete()) {
        break;
      }
    }
    assertEquals(data, listed);
    assertEquals(new ArrayList<>(data.keySet()), order);
    KvKey moved = indexed.blocking().list(ListOptions.prefix("t:w01:d1")).keys().get(0);
    Duration left = Duration.between(java.time.Instant.now(), moved.expiration().orElseThrow());
    assertTrue(left.compareTo(Duration.ofMinutes(59)) > 0, "TTL kept: " + left);
    assertEquals(Optional.empty(), indexed.blocking().list(ListOptions.prefix("u:w01:d2")).keys()
        .get(0).expiration());

    assertEquals(50L, indexed.blocking().reindex());
    assertEquals(50L, redis("ZCARD", "{legacy}/index"));
    KvValidationException e = assertThrows(KvValidationException.class,
        () -> legacy.blocking().reindex());
    assertEquals("listing", e.argument());
    assertFalse(legacy.blocking().get("u:w01:d2").isPresent());
  }
}
