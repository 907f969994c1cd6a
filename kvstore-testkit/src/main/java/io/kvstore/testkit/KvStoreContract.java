package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import io.kvstore.KvEntry;
import io.kvstore.KvException;
import io.kvstore.KvKey;
import io.kvstore.KvNamespace;
import io.kvstore.KvPage;
import io.kvstore.KvResult;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.TtlPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The behaviour every {@link KvStore} promises, written once and run against each store. Shipped
 * in {@code kvstore-testkit}; to run it against your own store, extend it and return a fresh
 * store from {@link #openStore()}:
 *
 * <pre>{@code
 * class MyStoreContractTest extends KvStoreContract {
 *   @Override
 *   protected KvStore openStore() {
 *     return MyStores.open(...);   // a new store per test; the suite closes it
 *   }
 * }
 * }</pre>
 *
 * <p>Override the other hooks where your store differs: {@link #listsInOrder()} if listing does
 * not return keys in UTF-8 byte order, {@link #advanceTime(Duration)} and {@link #storeNow()} if
 * its clock can be moved by hand (else the TTL tests sleep for {@link #shortTtl()}), and
 * {@link #configure(NamespaceOptions.Builder)} to open every namespace with options of your
 * choice (a near cache, a listing strategy). A near cache cannot be combined with a sliding TTL
 * ({@link NamespaceOptions.Builder#build()} rejects it), so a {@code configure} that adds one
 * should leave sliding-TTL namespaces without it.
 *
 * <p>The tests are grouped by section in {@link Nested @Nested} classes ({@code GetAndPut},
 * {@code GetAll}, {@code Delete}, {@code Expiry}, {@code Listings}, {@code Isolation},
 * {@code Validation}, {@code RoundTrips}, {@code StatsAndLifecycle}), which JUnit runs for every
 * concrete subclass, so reports read by section. To run the suite over several configurations
 * in one class, put JUnit's {@code @ParameterizedClass} on the subclass and choose the store in
 * {@code openStore()} from the parameter: each invocation runs every section.
 *
 * <p>Every test works in namespaces of its own, so a store may be shared by the tests of a class
 * (a Redis server, for example) without one test seeing another's keys. Not thread-safe: JUnit
 * creates one instance per test.
 */
public abstract class KvStoreContract {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  /** The store under test, opened before each test and closed after it. */
  protected KvStore store;

  /**
   * Opens the store under test.
   *
   * @return a store; its namespaces may hold other tests' data, never this test's namespaces
   */
  protected abstract KvStore openStore();

  /**
   * Lets time pass for the store's TTLs: moves a controllable clock, or sleeps for stores that
   * use the server's own time.
   *
   * @param duration how much time must pass
   */
  protected void advanceTime(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * The TTL the expiry tests write with: short for stores that must really wait.
   *
   * @return a TTL long enough that a write and an immediate read finish well within it
   */
  protected Duration shortTtl() {
    return Duration.ofMillis(400);
  }

  /**
   * Adjusts every namespace the suite opens, so one store can run the suite with, say, a near
   * cache or an indexed listing on every namespace.
   *
   * @param builder the namespace options the test chose
   * @param <V> the value type
   * @return the builder to build, by default unchanged
   */
  protected <V> NamespaceOptions.Builder<V> configure(NamespaceOptions.Builder<V> builder) {
    return builder;
  }

  /**
   * Whether listing returns keys in lexicographic (UTF-8 byte) order.
   *
   * @return {@code true} unless the store's strategy documents another order (SCAN)
   */
  protected boolean listsInOrder() {
    return true;
  }

  /**
   * The round trips a batch write or delete of the suite's namespaces takes.
   *
   * @return 1 by default; 2 on a store that tells other instances' near caches of a write only
   *     once the write is applied, with a round trip of its own (Redis Cluster and indexed
   *     namespaces on Redis, when {@link #configure} adds a near cache)
   */
  protected int writeRoundTrips() {
    return 1;
  }

  @BeforeEach
  void openStoreUnderTest() {
    store = openStore();
  }

  @AfterEach
  void closeStoreUnderTest() {
    if (store != null) {
      store.close();
    }
  }

  /**
   * Opens a namespace of workouts that no other test uses.
   *
   * @return the namespace
   */
  protected KvNamespace<Workout> workouts() {
    return store.namespace(
        configure(NamespaceOptions.builder(uniqueName("workout"), Workout.class)).build());
  }

  /**
   * Returns a namespace name no other test uses.
   *
   * @param base a readable stem
   * @return the name
   */
  protected static String uniqueName(String base) {
    return base + "-" + ProcessHandle.current().pid() + "-" + NAMESPACES.incrementAndGet();
  }

  private static Map<String, Workout> workoutsOf(String user, int count) {
    Map<String, Workout> map = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      Workout w = Workout.of(user, i / 4 + 1, i % 4 + 1);
      map.put(w.key(), w);
    }
    return map;
  }

  private static void assertArrayEqualsBytes(byte[] expected, byte[] actual) {
    assertTrue(Arrays.equals(expected, actual),
        () -> Arrays.toString(expected) + " != " + Arrays.toString(actual));
  }

  /**
   * The store's notion of now, for absolute expiries.
   *
   * @return now on the store's clock
   */
  protected Instant storeNow() {
    return Instant.now();
  }

  private static <T> List<List<T>> chunks(List<T> list, int size) {
    List<List<T>> chunks = new ArrayList<>();
    for (int i = 0; i < list.size(); i += size) {
      chunks.add(list.subList(i, Math.min(list.size(), i + size)));
    }
    return chunks;
  }

  private static Set<String> listedNames(BlockingKvNamespace<Workout> ns, String prefix) {
    return ns.scanValues(prefix).map(KvEntry::key).collect(Collectors.toSet());
  }

  /**
   * Asserts that a call fails with a validation error naming an argument.
   *
   * @param argument the argument the error must name
   * @param call the call
   * @return the exception
   */
  protected static KvValidationException assertValidation(String argument, Executable call) {
    KvValidationException e = assertThrows(KvValidationException.class, call);
    assertEquals(argument, e.argument(), e.getMessage());
    return e;
  }

  /** {@code get}, {@code put}, {@code putIfAbsent} and the codecs. */
  @Nested
  class GetAndPut {
    @Test
    void putThenGetReturnsTheSameRecord() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      Workout w = Workout.of("user-1", 3, 2);
      ns.put(w.key(), w);
      assertEquals(Optional.of(w), ns.get(w.key()));
    }

    @Test
    void getOfAMissingKeyIsEmpty() {
      assertEquals(Optional.empty(), workouts().blocking().get("nobody:w01:d1"));
    }

    @Test
    void putOverwrites() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      ns.put("k", Workout.of("a", 1, 1));
      ns.put("k", Workout.of("b", 2, 2));
      assertEquals("b", ns.get("k").orElseThrow().user());
    }

    @Test
    void putIfAbsentWritesOnlyNewKeys() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      assertTrue(ns.putIfAbsent("k", Workout.of("a", 1, 1), PutOptions.defaults()));
      assertFalse(ns.putIfAbsent("k", Workout.of("b", 1, 1), PutOptions.defaults()));
      ns.put("k", Workout.of("c", 1, 1), PutOptions.defaults().ifAbsent());
      assertEquals("a", ns.get("k").orElseThrow().user());
    }

    @Test
    void stringAndBytesCodecsRoundTrip() {
      BlockingKvNamespace<String> text = store.namespace(
          configure(NamespaceOptions.builder(uniqueName("text"), KvCodec.utf8())).build())
          .blocking();
      text.put("greeting", "grüß dich 👋");
      assertEquals(Optional.of("grüß dich 👋"), text.get("greeting"));

      BlockingKvNamespace<byte[]> raw = store.namespace(
          configure(NamespaceOptions.builder(uniqueName("raw"), KvCodec.bytes())).build())
          .blocking();
      byte[] bytes = {0, 1, (byte) 0xff, 10, 13};
      raw.put("b", bytes);
      assertArrayEqualsBytes(bytes, raw.get("b").orElseThrow());
    }

    /**
     * Issue 21 item 7: with or without a near cache, every read hands out an array of its own, so
     * a caller that changes what it read changes nothing another read sees.
     */
    @Test
    void everyReadOfRawBytesGetsItsOwnArray() {
      BlockingKvNamespace<byte[]> raw = store.namespace(
          configure(NamespaceOptions.builder(uniqueName("raw"), KvCodec.bytes())).build())
          .blocking();
      byte[] written = {1, 2, 3};
      raw.put("b", written);
      written[0] = 99;

      byte[] first = raw.get("b").orElseThrow();
      assertArrayEqualsBytes(new byte[] {1, 2, 3}, first);
      first[0] = 42;
      byte[] second = raw.get("b").orElseThrow();
      assertArrayEqualsBytes(new byte[] {1, 2, 3}, second);
      assertFalse(first == second, "two reads returned the same array");

      byte[] batch = raw.getAll(List.of("b")).get("b");
      batch[1] = 42;
      byte[] results = ((KvResult.Found<byte[]>) raw.getAllResults(List.of("b")).get("b")).value();
      results[2] = 42;
      assertArrayEqualsBytes(new byte[] {1, 2, 3}, raw.getAll(List.of("b")).get("b"));
      assertArrayEqualsBytes(new byte[] {1, 2, 3}, raw.get("b").orElseThrow());
    }
  }

  /** {@code getAll} and {@code getAllResults}. */
  @Nested
  class GetAll {
    @Test
    void getAllKeepsInputOrderAndLeavesOutMissingKeys() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      Map<String, Workout> data = workoutsOf("user-2", 10);
      ns.putAll(data);
      List<String> asked = new ArrayList<>(data.keySet());
      Collections.reverse(asked);
      asked.add(3, "user-2:missing");
      Map<String, Workout> got = ns.getAll(asked);
      List<String> expectedOrder = new ArrayList<>(asked);
      expectedOrder.remove("user-2:missing");
      assertEquals(expectedOrder, new ArrayList<>(got.keySet()));
      expectedOrder.forEach(k -> assertEquals(data.get(k), got.get(k)));
      assertThrows(UnsupportedOperationException.class, () -> got.put("x", null));
    }

    @Test
    void getAllReadsDuplicatesOnceAndAcceptsAnEmptyCollection() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      ns.put("a", Workout.of("a", 1, 1));
      assertEquals(List.of("a"), new ArrayList<>(ns.getAll(List.of("a", "a", "a")).keySet()));
      assertEquals(Map.of(), ns.getAll(List.of()));
    }

    @Test
    void getAllResultsReportsEachKeyAndIsolatesUndecodableValues() {
      KvNamespace<Workout> ns = workouts();
      BlockingKvNamespace<byte[]> raw = store.namespace(
          configure(NamespaceOptions.builder(ns.name(), KvCodec.bytes())).build()).blocking();
      ns.blocking().put("good", Workout.of("u", 1, 1));
      raw.put("garbage", new byte[] {(byte) 0xc3, 0x28, '{'});
      raw.put("wrong-shape", "{\"user\": [1, 2]}".getBytes(StandardCharsets.UTF_8));

      Map<String, KvResult<Workout>> results =
          ns.blocking().getAllResults(List.of("good", "garbage", "missing", "wrong-shape"));

      assertEquals(List.of("good", "garbage", "missing", "wrong-shape"),
          new ArrayList<>(results.keySet()));
      assertInstanceOf(KvResult.Found.class, results.get("good"));
      assertInstanceOf(KvResult.Missing.class, results.get("missing"));
      KvResult<Workout> garbage = results.get("garbage");
      assertInstanceOf(KvResult.Failed.class, garbage);
      KvException garbageError = ((KvResult.Failed<Workout>) garbage).error();
      assertEquals("garbage", ((KvCodecException) garbageError).key());
      assertInstanceOf(KvResult.Failed.class, results.get("wrong-shape"));

      // getAll leaves the failures out; get names the key in the exception.
      assertEquals(Set.of("good"), ns.blocking().getAll(results.keySet()).keySet());
      KvCodecException e = assertThrows(KvCodecException.class,
          () -> ns.blocking().get("garbage"));
      assertEquals("garbage", e.key());
    }

    /**
     * Issue 21 item 8: whatever a namespace accepts it reads back. A JSON string just under the
     * default 25 MiB value limit (longer than Jackson's default 20,000,000-character read limit)
     * comes back from {@code get}, {@code getAll} and {@code getAllResults}.
     */
    @Test
    void aJsonValueJustUnderTheSizeLimitIsReadBack() {
      KvNamespace<String> ns = store.namespace(configure(
          NamespaceOptions.builder(uniqueName("big"), String.class)).build());
      // Encoded as a JSON string: the characters plus two quotes, exactly the limit.
      String big = "x".repeat(NamespaceOptions.DEFAULT_MAX_VALUE_BYTES - 2);
      ns.blocking().put("big", big);
      assertValidation("value", () -> ns.put("too-big", big + "x"));

      assertEquals(big.length(), ns.blocking().get("big").orElseThrow().length());
      Map<String, String> all = ns.blocking().getAll(List.of("big"));
      assertEquals(Set.of("big"), all.keySet(), "getAll left the value out");
      assertEquals(big, all.get("big"));
      assertInstanceOf(KvResult.Found.class,
          ns.blocking().getAllResults(List.of("big")).get("big"));
    }
  }

  /** {@code delete} and {@code deleteAll}. */
  @Nested
  class Delete {
    @Test
    void deleteTellsWhetherTheKeyExisted() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      ns.put("k", Workout.of("a", 1, 1));
      assertTrue(ns.delete("k"));
      assertFalse(ns.delete("k"));
      assertEquals(Optional.empty(), ns.get("k"));
    }

    @Test
    void deleteAllCountsTheKeysThatExisted() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      ns.putAll(workoutsOf("d", 5));
      List<String> keys = new ArrayList<>(workoutsOf("d", 5).keySet());
      keys.add("d:none");
      keys.add(keys.get(0));
      assertEquals(5, ns.deleteAll(keys));
      assertEquals(Map.of(), ns.getAll(keys));
      assertEquals(0, ns.deleteAll(List.of()));
    }
  }

  /** TTL policies, per-call TTLs, jitter. */
  @Nested
  class Expiry {
    @Test
    void fixedTtlExpiresKeys() {
      KvNamespace<Workout> ns = store.namespace(configure(NamespaceOptions
          .builder(uniqueName("ttl"), Workout.class)).ttl(TtlPolicy.fixed(shortTtl())).build());
      ns.blocking().put("k", Workout.of("a", 1, 1));
      assertTrue(ns.blocking().get("k").isPresent());
      advanceTime(shortTtl().plusMillis(200));
      assertEquals(Optional.empty(), ns.blocking().get("k"));
      assertEquals(Map.of(), ns.blocking().getAll(List.of("k")));
      assertEquals(List.of(), ns.blocking().list(ListOptions.all()).keys());
      assertFalse(ns.blocking().delete("k"));
    }

    @Test
    void noTtlKeepsKeysAndListsNoExpiration() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      ns.put("k", Workout.of("a", 1, 1));
      advanceTime(shortTtl().plusMillis(200));
      assertTrue(ns.get("k").isPresent());
      assertEquals(List.of(new KvKey("k", Optional.empty())), ns.list(ListOptions.all()).keys());
    }

    @Test
    void putOptionsOverrideTheNamespacePolicy() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      ns.put("short", Workout.of("a", 1, 1), PutOptions.ttl(shortTtl()));
      ns.put("long", Workout.of("a", 1, 1), PutOptions.ttl(TtlPolicy.fixed(Duration.ofDays(1))));
      KvKey listed = ns.list(ListOptions.prefix("long")).keys().get(0);
      Instant expiry = listed.expiration().orElseThrow();
      Instant lowerBound = storeNow().plus(Duration.ofDays(1)).minus(Duration.ofMinutes(1));
      assertTrue(expiry.isAfter(lowerBound), () -> expiry + " is before " + lowerBound);
      advanceTime(shortTtl().plusMillis(200));
      assertEquals(Set.of("long"), ns.getAll(List.of("short", "long")).keySet());
    }

    @Test
    void keepTtlKeepsTheExistingExpiry() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      ns.put("k", Workout.of("a", 1, 1), PutOptions.ttl(shortTtl()));
      ns.put("k", Workout.of("b", 1, 1), PutOptions.keepTtl());
      assertEquals("b", ns.get("k").orElseThrow().user());
      advanceTime(shortTtl().plusMillis(200));
      assertEquals(Optional.empty(), ns.get("k"));
    }

    @Test
    void slidingTtlIsExtendedByReads() {
      Duration ttl = shortTtl().multipliedBy(2);
      KvNamespace<Workout> ns = store.namespace(configure(NamespaceOptions
          .builder(uniqueName("sliding"), Workout.class).ttl(TtlPolicy.sliding(ttl))).build());
      ns.blocking().put("read", Workout.of("a", 1, 1));
      ns.blocking().put("unread", Workout.of("a", 1, 1));
      for (int i = 0; i < 4; i++) {
        advanceTime(ttl.dividedBy(2));
        assertTrue(ns.blocking().get("read").isPresent(), "read " + i);
      }
      assertEquals(Set.of("read"), ns.blocking().getAll(List.of("read", "unread")).keySet());
    }

    @Test
    void absoluteExpiryIsHonouredAndAPastInstantIsRejected() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      Instant at = storeNow().plus(Duration.ofHours(1));
      ns.put("k", Workout.of("a", 1, 1), PutOptions.ttl(TtlPolicy.at(at)));
      Instant listed = ns.list(ListOptions.all()).keys().get(0).expiration().orElseThrow();
      assertTrue(Math.abs(listed.toEpochMilli() - at.toEpochMilli()) < 1000, listed + " vs " + at);
      assertValidation("ttl", () -> ns.put("k", Workout.of("a", 1, 1),
          PutOptions.ttl(TtlPolicy.at(storeNow().minusSeconds(1)))));
    }

    @Test
    void jitterShortensTtlsWithinTheBound() {
      Duration ttl = Duration.ofHours(10);
      KvNamespace<Workout> ns = store.namespace(configure(NamespaceOptions.builder(
          uniqueName("jitter"),
          Workout.class)).ttl(TtlPolicy.fixed(ttl).withJitter(0.5)).build());
      ns.blocking().putAll(workoutsOf("j", 40));
      Instant before = storeNow();
      Set<Long> expiries = new HashSet<>();
      for (KvKey k : ns.blocking().list(ListOptions.all()).keys()) {
        Instant e = k.expiration().orElseThrow();
        assertFalse(e.isAfter(before.plus(ttl).plusSeconds(5)), e::toString);
        assertTrue(e.isAfter(before.plus(ttl.dividedBy(2)).minusSeconds(5)), e::toString);
        expiries.add(e.toEpochMilli() / 1000);
      }
      assertTrue(expiries.size() > 10, "jitter spreads expiries: " + expiries.size());
    }
  }

  /** {@code list}, {@code listValues}, {@code scanValues}: prefixes, pages, cursors. */
  @Nested
  class Listings {
    @Test
    void listingReturnsOnlyThePrefixInOrder() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      ns.putAll(workoutsOf("user-3", 8));
      ns.putAll(workoutsOf("user-30", 3));
      ns.putAll(workoutsOf("user-4", 3));
      KvPage page = ns.list(ListOptions.prefix("user-3:"));
      assertTrue(page.complete());
      List<String> expected = new ArrayList<>(workoutsOf("user-3", 8).keySet());
      Collections.sort(expected);
      List<String> names = page.names();
      if (!listsInOrder()) {
        names = new ArrayList<>(names);
        Collections.sort(names);
      }
      assertEquals(expected, names);
    }

    @Test
    void paginationWalksEveryKeyExactlyOnce() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      Workout w = Workout.of("p", 1, 1);
      Map<String, Workout> data = new LinkedHashMap<>();
      for (int i = 0; i < 2500; i++) {
        data.put(String.format("p:%05d", i), w);
      }
      for (List<String> chunk : chunks(new ArrayList<>(data.keySet()), 500)) {
        ns.putAll(chunk.stream().collect(Collectors.toMap(Function.identity(), k -> w)));
      }
      ns.put("q:after", w);
      for (int limit : new int[] {1000, 7, 1}) {
        List<String> seen = new ArrayList<>();
        ListOptions options = ListOptions.prefix("p:").limit(limit);
        KvPage page = ns.list(options);
        seen.addAll(page.names());
        assertTrue(page.keys().size() <= limit);
        while (!page.complete()) {
          page = ns.list(options.cursor(page.cursor().orElseThrow()));
          assertTrue(page.keys().size() <= limit, "page of " + page.keys().size());
          seen.addAll(page.names());
        }
        assertEquals(2500, seen.size(), "limit " + limit);
        assertEquals(data.keySet(), new HashSet<>(seen), "limit " + limit);
        if (listsInOrder()) {
          assertEquals(new ArrayList<>(data.keySet()), seen, "limit " + limit);
        }
      }
    }

    @Test
    void listValuesPagesCarryValues() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      Map<String, Workout> data = workoutsOf("lv", 25);
      ns.putAll(data);
      ListOptions options = ListOptions.prefix("lv:").limit(10);
      Map<String, Workout> seen = new LinkedHashMap<>();
      KvValuePage<Workout> page = ns.listValues(options);
      page.entries().forEach(e -> seen.put(e.key(), e.value()));
      while (!page.complete()) {
        page = ns.listValues(options.cursor(page.cursor().orElseThrow()));
        assertTrue(page.entries().size() <= 10);
        page.entries().forEach(e -> seen.put(e.key(), e.value()));
      }
      assertEquals(data, new java.util.TreeMap<>(seen).entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Test
    void listValuesReportsUndecodableValuesWithoutFailingThePage() {
      KvNamespace<Workout> ns = workouts();
      ns.blocking().putAll(workoutsOf("f", 3));
      store.namespace(configure(NamespaceOptions.builder(ns.name(), KvCodec.utf8())).build())
          .blocking()
          .put("f:broken", "not json");
      KvValuePage<Workout> page = ns.blocking().listValues(ListOptions.prefix("f:"));
      assertEquals(3, page.entries().size());
      assertEquals(Set.of("f:broken"), page.failures().keySet());
    }

    @Test
    void scanValuesStreamsEveryPage() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      Workout w = Workout.of("s", 1, 1);
      Map<String, Workout> data = new LinkedHashMap<>();
      for (int i = 0; i < 2100; i++) {
        data.put("s:" + i, w);
      }
      ns.putAll(data);
      ns.put("t:other", w);
      List<String> keys = ns.scanValues("s:").map(KvEntry::key).toList();
      assertEquals(2100, keys.size());
      assertEquals(data.keySet(), new HashSet<>(keys));
    }

    @Test
    void prefixesAreLiteralNotPatterns() {
      BlockingKvNamespace<Workout> ns = workouts().blocking();
      Workout w = Workout.of("x", 1, 1);
      List<String> keys = List.of("a*1", "a*2", "ab", "a?c", "abc", "a[b]c", "a[b]d", "ac",
          "a\\b", "a\\c", "ab\\", "a]b");
      ns.putAll(keys.stream().collect(Collectors.toMap(Function.identity(), k -> w)));
      assertEquals(Set.of("a*1", "a*2"), listedNames(ns, "a*"));
      assertEquals(Set.of("a?c"), listedNames(ns, "a?"));
      assertEquals(Set.of("a[b]c", "a[b]d"), listedNames(ns, "a[b]"));
      assertEquals(Set.of("a\\b", "a\\c"), listedNames(ns, "a\\"));
      assertEquals(Set.of("a]b"), listedNames(ns, "a]"));
      assertEquals(Set.of(), listedNames(ns, "*"));
      assertEquals(Set.copyOf(keys), listedNames(ns, "a"));
    }
  }

  /** Namespaces never see each other's keys. */
  @Nested
  class Isolation {
    @Test
    void namespacesNeverSeeEachOthersKeys() {
      String base = uniqueName("iso");
      KvNamespace<Workout> a = store.namespace(
          configure(NamespaceOptions.builder(base, Workout.class))
          .build());
      KvNamespace<Workout> b = store.namespace(
          configure(NamespaceOptions.builder(base + "2", Workout.class))
          .build());
      KvNamespace<Workout> star = store.namespace(
          configure(NamespaceOptions.builder(base + "*", Workout.class)).build());
      a.blocking().put("k", Workout.of("a", 1, 1));
      b.blocking().put("k", Workout.of("b", 1, 1));
      b.blocking().put("2:k", Workout.of("b", 1, 1));
      assertEquals("a", a.blocking().get("k").orElseThrow().user());
      assertEquals("b", b.blocking().get("k").orElseThrow().user());
      assertEquals(List.of("k"), a.blocking().list(ListOptions.all()).names());
      assertEquals(Set.of("k", "2:k"), new HashSet<>(b.blocking().list(ListOptions.all()).names()));
      assertEquals(List.of(), star.blocking().list(ListOptions.all()).keys());
      assertTrue(a.blocking().delete("k"));
      assertTrue(b.blocking().get("k").isPresent());
    }
  }

  /** Bad keys and arguments are rejected before anything is sent. */
  @Nested
  class Validation {
    @Test
    void invalidKeysAreRejectedBeforeAnythingIsSent() {
      KvNamespace<Workout> ns = workouts();
      Workout w = Workout.of("v", 1, 1);
      String longKey = "k".repeat(513);
      String accents = "é".repeat(300);
      List<String> bad = Arrays.asList("", longKey, accents, "a\uD800b", "line\nbreak", "tab\t",
          "nul\u0000", "del\u007f", null);
      long trips = KvRoundTrips.count(store, () -> {
        for (String key : bad) {
          assertValidation("key", () -> ns.get(key));
          assertValidation("key", () -> ns.put(key, w));
          assertValidation("key", () -> ns.delete(key));
          assertValidation("key", () -> ns.getAll(Arrays.asList("fine", key)));
          assertValidation("key", () -> ns.deleteAll(Arrays.asList("fine", key)));
          Map<String, Workout> entries = new LinkedHashMap<>();
          entries.put("fine", w);
          entries.put(key, w);
          assertValidation("key", () -> ns.putAll(entries));
        }
      });
      assertEquals(0, trips, "validation failures must not reach the store");
      assertEquals(Optional.empty(), ns.blocking().get("fine"), "a rejected batch writes nothing");
      KvValidationException e = assertValidation("key", () -> ns.get(accents));
      assertTrue(e.getMessage().contains("600 bytes"), e.getMessage());
      assertTrue(e.getMessage().contains("512"), e.getMessage());
      ns.blocking().put("k".repeat(512), w);
      ns.blocking().put("é".repeat(256), w);
      ns.blocking().put("emoji-😀", w);
      assertTrue(ns.blocking().get("emoji-😀").isPresent());
    }

    @Test
    void invalidArgumentsAreRejectedWithTheirName() {
      KvNamespace<Workout> ns = store.namespace(configure(NamespaceOptions
          .builder(uniqueName("args"), Workout.class)).maxValueBytes(200).build());
      Workout w = Workout.of("v", 1, 1);
      long trips = KvRoundTrips.count(store, () -> {
        assertValidation("value", () -> ns.put("k", null));
        assertValidation("value", () -> ns.put("k", new Workout("v".repeat(300), 1, 1,
            Instant.EPOCH, List.of())));
        assertValidation("keys", () -> ns.getAll(null));
        assertValidation("entries", () -> ns.putAll(null));
        assertValidation("options", () -> ns.put("k", w, null));
        assertValidation("options", () -> ns.list(null));
        assertValidation("ttl", () -> PutOptions.ttl(Duration.ZERO));
        assertValidation("ttl", () -> PutOptions.ttl(Duration.ofMillis(-5)));
        assertValidation("ttl", () -> TtlPolicy.fixed(Duration.ofDays(365L * 1000)));
        assertValidation("ttl", () -> TtlPolicy.sliding(null));
        assertValidation("jitter", () -> TtlPolicy.fixed(Duration.ofMinutes(1)).withJitter(1.0));
        assertValidation("limit", () -> ListOptions.all().limit(0));
        assertValidation("limit", () -> ListOptions.all().limit(1001));
        assertValidation("prefix", () -> ns.list(ListOptions.prefix("bad\nprefix")));
        assertValidation("prefix", () -> ns.list(ListOptions.prefix("x".repeat(600))));
        assertValidation("cursor", () -> ListOptions.all().cursor(""));
        assertValidation("cursor", () -> ns.list(ListOptions.all().cursor("not-a-cursor")));
        assertValidation("name", () -> NamespaceOptions.builder("has:colon", Workout.class));
        assertValidation("name", () -> NamespaceOptions.builder("", Workout.class));
      });
      assertEquals(0, trips);
    }

    @Test
    void cursorsFromAnotherListingOrAlteredAreRejected() {
      KvNamespace<Workout> ns = workouts();
      KvNamespace<Workout> other = workouts();
      ns.blocking().putAll(workoutsOf("c", 10));
      other.blocking().putAll(workoutsOf("c", 10));
      KvPage first = ns.blocking().list(ListOptions.prefix("c:").limit(3));
      String cursor = first.cursor().orElseThrow();
      assertValidation("cursor", () -> other.list(ListOptions.prefix("c:").cursor(cursor)));
      assertValidation("cursor", () -> ns.list(ListOptions.prefix("c:w01").cursor(cursor)));
      // Edit a middle character: the last one of unpadded base64 may carry only ignored bits,
      // and an edit that decodes to the same bytes is no edit at all.
      int mid = cursor.length() / 2;
      String altered = cursor.substring(0, mid) + (cursor.charAt(mid) == 'A' ? 'B' : 'A')
          + cursor.substring(mid + 1);
      assertValidation("cursor", () -> ns.list(ListOptions.prefix("c:").cursor(altered)));
      assertValidation("cursor", () -> ns.list(ListOptions.prefix("c:")
          .cursor(cursor.substring(0, 3))));
      assertEquals(3, ns.blocking().list(ListOptions.prefix("c:").limit(3).cursor(cursor))
          .keys().size());
    }
  }

  /** Round trips per call: batches are one, N single gets are N. */
  @Nested
  class RoundTrips {
    @Test
    void getAllOf64KeysIsOneRoundTrip() {
      KvNamespace<Workout> ns = workouts();
      Map<String, Workout> data = workoutsOf("rt", 64);
      ns.blocking().putAll(data);
      AtomicReference<Map<String, Workout>> got = new AtomicReference<>();
      assertEquals(1,
          KvRoundTrips.count(store, () -> got.set(ns.blocking().getAll(data.keySet()))));
      assertEquals(data, got.get());
    }

    @Test
    void sixtyFourSequentialGetsAreSixtyFourRoundTrips() {
      KvNamespace<Workout> ns = workouts();
      Map<String, Workout> data = workoutsOf("seq", 64);
      ns.blocking().putAll(data);
      List<Workout> got = new ArrayList<>();
      long trips = KvRoundTrips.count(store, () -> {
        for (String key : data.keySet()) {
          got.add(ns.blocking().get(key).orElseThrow());
        }
      });
      assertEquals(64, trips);
      assertEquals(new ArrayList<>(data.values()), got);
    }

    /** One round trip each, plus the store's {@link #writeRoundTrips() invalidation}, if any. */
    @Test
    void batchWritesAndDeletesAreOneRoundTripEach() {
      KvNamespace<Workout> ns = workouts();
      Map<String, Workout> data = workoutsOf("bw", 64);
      int expected = writeRoundTrips();
      assertEquals(expected, KvRoundTrips.count(store, () -> ns.blocking().putAll(data)),
          "putAll of 64 keys");
      assertEquals(expected, KvRoundTrips.count(store,
          () -> ns.blocking().deleteAll(data.keySet())), "deleteAll of 64 keys");
    }

    @Test
    void listValuesOf64KeysIsAtMostTwoRoundTrips() {
      KvNamespace<Workout> ns = workouts();
      Map<String, Workout> data = workoutsOf("lv64", 64);
      ns.blocking().putAll(data);
      ns.blocking().putAll(workoutsOf("other", 64));
      AtomicReference<KvValuePage<Workout>> page = new AtomicReference<>();
      long trips = KvRoundTrips.count(store,
          () -> page.set(ns.blocking().listValues(ListOptions.prefix("lv64:").limit(100))));
      assertTrue(trips <= 2, trips + " round trips");
      assertEquals(64, page.get().entries().size());
      assertEquals(data.keySet(), page.get().entries().stream().map(KvEntry::key)
          .collect(Collectors.toSet()));
    }

    @Test
    void parallelGetsAllComplete() {
      KvNamespace<Workout> ns = workouts();
      Map<String, Workout> data = workoutsOf("par", 64);
      ns.blocking().putAll(data);
      List<CompletableFuture<Optional<Workout>>> futures =
          data.keySet().stream().map(ns::get).toList();
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
      assertEquals(new ArrayList<>(data.values()),
          futures.stream().map(f -> f.join().orElseThrow()).toList());
    }
  }

  /** {@code stats()}, {@code ping()}, {@code close()} and concurrent writers. */
  @Nested
  class StatsAndLifecycle {
    @Test
    void statsCountOperationsRoundTripsAndKeysRead() {
      KvNamespace<Workout> ns = workouts();
      ns.blocking().putAll(workoutsOf("st", 10));
      var before = store.stats();
      ns.blocking().getAll(workoutsOf("st", 10).keySet());
      ns.blocking().get("st:none");
      var after = store.stats();
      assertEquals(2, after.operations() - before.operations());
      assertEquals(2, after.roundTrips() - before.roundTrips());
      assertEquals(11, after.keysRead() - before.keysRead());
    }

    @Test
    void pingAnswers() {
      store.ping().join();
    }

    /**
     * Issue 21, one rule for errors: after {@code close()} every operation returns a future that
     * fails with {@link KvUnavailableException} (a store failure), while a bad argument still
     * throws {@link KvValidationException} from the call itself.
     */
    @Test
    void aClosedStoreFailsTheFutureAndBadArgumentsStillThrow() {
      KvNamespace<Workout> ns = workouts();
      Workout w = Workout.of("a", 1, 1);
      store.close();
      List<Callable<CompletableFuture<?>>> calls = List.of(
          () -> ns.get("k"), () -> ns.getAll(List.of("k")), () -> ns.getAllResults(List.of("k")),
          () -> ns.put("k", w), () -> ns.putIfAbsent("k", w, PutOptions.defaults()),
          () -> ns.putAll(Map.of("k", w)), () -> ns.delete("k"), () -> ns.deleteAll(List.of("k")),
          () -> ns.list(ListOptions.all()), () -> ns.listValues(ListOptions.all()),
          () -> ns.reindex(), () -> store.ping());
      for (Callable<CompletableFuture<?>> call : calls) {
        CompletableFuture<?> future = assertDoesNotThrow(call::call,
            "a closed store must fail the future, not the call");
        CompletionException e = assertThrows(CompletionException.class, future::join);
        assertInstanceOf(KvUnavailableException.class, e.getCause());
      }
      assertThrows(KvUnavailableException.class, () -> ns.blocking().get("k"));
      assertValidation("key", () -> ns.get(""));
      assertValidation("value", () -> ns.put("k", null));
      store.close();
    }

    @Test
    void concurrentWritersToDistinctKeysAllLand() throws Exception {
      KvNamespace<Workout> ns = workouts();
      int writers = 4;
      int perWriter = 50;
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
          int id = t;
          tasks.add(() -> {
            for (int i = 0; i < perWriter; i++) {
              ns.blocking().put("c" + id + ":" + i, Workout.of("c" + id, 1, 1));
            }
            return null;
          });
        }
        for (Future<Void> f : pool.invokeAll(tasks)) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      List<String> keys = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        for (int i = 0; i < perWriter; i++) {
          keys.add("c" + t + ":" + i);
        }
      }
      assertEquals(writers * perWriter, ns.blocking().getAll(keys).size());
    }
  }
}
