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
import io.kvstore.testkit.internal.Fixtures;
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
 * The behaviour every {@link KvStore} promises, written once and run on a {@link StoreFixture}.
 * To run it against your own store, give it your fixture (or run every suite at once with
 * {@link KvStoreSuites}):
 *
 * <pre>{@code
 * class MyStoreContractTest extends KvStoreContract {
 *   @Override
 *   protected StoreFixture fixture() {
 *     return new MyStoreFixture();   // opens a new store per test; the suite closes it
 *   }
 * }
 * }</pre>
 *
 * <p>Where stores differ, the fixture says so, never an override: listing order and round trips
 * per write follow its {@link StoreFixture.Capability capabilities}, TTL tests move its
 * {@link StoreFixture#clock() clock} (or sleep briefly without one), and every namespace gets its
 * {@link StoreFixture#configure options} (a near cache, a listing strategy).
 *
 * <p>The tests are grouped by section in {@link Nested @Nested} classes ({@code GetAndPut},
 * {@code GetAll}, {@code Delete}, {@code Expiry}, {@code Listings}, {@code Isolation},
 * {@code Validation}, {@code RoundTrips}, {@code StatsAndLifecycle}), which JUnit runs for every
 * concrete subclass, so reports read by section. To run the suite over several fixtures in one
 * class, put JUnit's {@code @ParameterizedClass} on the subclass and return the parameter from
 * {@code fixture()}: each invocation runs every section.
 *
 * <p>Every test works in namespaces of its own, so a store may be shared by the tests of a class
 * (a Redis server, for example) without one test seeing another's keys. Not thread-safe: JUnit
 * creates one instance per test.
 */
public abstract class KvStoreContract {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  /** The TTL the expiry tests write with: long enough for a write and a read on a server. */
  private static final Duration SHORT_TTL = Duration.ofMillis(400);

  private StoreFixture fixture;
  private KvStore store;

  /** For subclasses. */
  protected KvStoreContract() {}

  /**
   * The store under test.
   *
   * @return the fixture; asked once per test
   */
  protected abstract StoreFixture fixture();

  /**
   * The value the suite stores: a JSON record with a timestamp and nested records.
   *
   * @param user the user id
   * @param week the program week
   * @param day the day of the week
   * @param at when it happened
   * @param parts its parts
   */
  public record Sample(String user, int week, int day, Instant at, List<Part> parts) {
    /**
     * One part of a sample.
     *
     * @param name the part's name
     * @param weight a fractional number
     */
    public record Part(String name, double weight) {}

    static Sample of(String user, int week, int day) {
      Instant at = Instant.parse("2026-03-01T07:30:00Z").plus(Duration.ofDays(week * 7L + day));
      return new Sample(user, week, day, at, List.of(new Part("squat", 100.5 + week)));
    }

    /** The key the suite stores it at: {@code user:wWW:dD}. */
    String key() {
      return String.format("%s:w%02d:d%d", user, week, day);
    }
  }

  private <V> NamespaceOptions.Builder<V> configure(NamespaceOptions.Builder<V> builder) {
    return fixture.configure(builder);
  }

  private void advanceTime(Duration duration) {
    Fixtures.advance(fixture, duration);
  }

  private Instant storeNow() {
    return Fixtures.now(fixture);
  }

  private static Duration shortTtl() {
    return SHORT_TTL;
  }

  private boolean listsInOrder() {
    return Fixtures.listsInOrder(fixture, Fixtures.listing(fixture));
  }

  @BeforeEach
  void openStoreUnderTest() {
    Fixtures.requireJUnit();
    fixture = fixture();
    store = fixture.open();
  }

  @AfterEach
  void closeStoreUnderTest() {
    if (store != null) {
      store.close();
    }
  }

  /** Opens a namespace of samples that no other test uses. */
  private KvNamespace<Sample> workouts() {
    return store.namespace(
        configure(NamespaceOptions.builder(uniqueName("workout"), Sample.class)).build());
  }

  /** Returns a namespace name no other test uses. */
  private static String uniqueName(String base) {
    return base + "-" + ProcessHandle.current().pid() + "-" + NAMESPACES.incrementAndGet();
  }

  private static Map<String, Sample> workoutsOf(String user, int count) {
    Map<String, Sample> map = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      Sample w = Sample.of(user, i / 4 + 1, i % 4 + 1);
      map.put(w.key(), w);
    }
    return map;
  }

  private static void assertArrayEqualsBytes(byte[] expected, byte[] actual) {
    assertTrue(Arrays.equals(expected, actual),
        () -> Arrays.toString(expected) + " != " + Arrays.toString(actual));
  }

  private static <T> List<List<T>> chunks(List<T> list, int size) {
    List<List<T>> chunks = new ArrayList<>();
    for (int i = 0; i < list.size(); i += size) {
      chunks.add(list.subList(i, Math.min(list.size(), i + size)));
    }
    return chunks;
  }

  private static Set<String> listedNames(BlockingKvNamespace<Sample> ns, String prefix) {
    return ns.scanValues(prefix).map(KvEntry::key).collect(Collectors.toSet());
  }

  /** Asserts that a call fails with a validation error naming an argument. */
  private static KvValidationException assertValidation(String argument, Executable call) {
    KvValidationException e = assertThrows(KvValidationException.class, call);
    assertEquals(argument, e.argument(), e.getMessage());
    return e;
  }

  /** {@code get}, {@code put}, {@code putIfAbsent} and the codecs. */
  @Nested
  class GetAndPut {
    @Test
    void putThenGetReturnsTheSameRecord() {
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      Sample w = Sample.of("user-1", 3, 2);
      ns.put(w.key(), w);
      assertEquals(Optional.of(w), ns.get(w.key()));
    }

    @Test
    void getOfAMissingKeyIsEmpty() {
      assertEquals(Optional.empty(), workouts().blocking().get("nobody:w01:d1"));
    }

    @Test
    void putOverwrites() {
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      ns.put("k", Sample.of("a", 1, 1));
      ns.put("k", Sample.of("b", 2, 2));
      assertEquals("b", ns.get("k").orElseThrow().user());
    }

    @Test
    void putIfAbsentWritesOnlyNewKeys() {
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      assertTrue(ns.putIfAbsent("k", Sample.of("a", 1, 1), PutOptions.defaults()));
      assertFalse(ns.putIfAbsent("k", Sample.of("b", 1, 1), PutOptions.defaults()));
      ns.put("k", Sample.of("c", 1, 1), PutOptions.defaults().ifAbsent());
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
     * With or without a near cache, every read hands out an array of its own, so a caller that
     * changes what it read changes nothing another read sees.
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
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      Map<String, Sample> data = workoutsOf("user-2", 10);
      ns.putAll(data);
      List<String> asked = new ArrayList<>(data.keySet());
      Collections.reverse(asked);
      asked.add(3, "user-2:missing");
      Map<String, Sample> got = ns.getAll(asked);
      List<String> expectedOrder = new ArrayList<>(asked);
      expectedOrder.remove("user-2:missing");
      assertEquals(expectedOrder, new ArrayList<>(got.keySet()));
      expectedOrder.forEach(k -> assertEquals(data.get(k), got.get(k)));
      assertThrows(UnsupportedOperationException.class, () -> got.put("x", null));
    }

    @Test
    void getAllReadsDuplicatesOnceAndAcceptsAnEmptyCollection() {
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      ns.put("a", Sample.of("a", 1, 1));
      assertEquals(List.of("a"), new ArrayList<>(ns.getAll(List.of("a", "a", "a")).keySet()));
      assertEquals(Map.of(), ns.getAll(List.of()));
    }

    @Test
    void getAllResultsReportsEachKeyAndIsolatesUndecodableValues() {
      KvNamespace<Sample> ns = workouts();
      BlockingKvNamespace<byte[]> raw = store.namespace(
          configure(NamespaceOptions.builder(ns.name(), KvCodec.bytes())).build()).blocking();
      ns.blocking().put("good", Sample.of("u", 1, 1));
      raw.put("garbage", new byte[] {(byte) 0xc3, 0x28, '{'});
      raw.put("wrong-shape", "{\"user\": [1, 2]}".getBytes(StandardCharsets.UTF_8));

      Map<String, KvResult<Sample>> results =
          ns.blocking().getAllResults(List.of("good", "garbage", "missing", "wrong-shape"));

      assertEquals(List.of("good", "garbage", "missing", "wrong-shape"),
          new ArrayList<>(results.keySet()));
      assertInstanceOf(KvResult.Found.class, results.get("good"));
      assertInstanceOf(KvResult.Missing.class, results.get("missing"));
      KvResult<Sample> garbage = results.get("garbage");
      assertInstanceOf(KvResult.Failed.class, garbage);
      KvException garbageError = ((KvResult.Failed<Sample>) garbage).error();
      assertEquals("garbage", ((KvCodecException) garbageError).key());
      assertInstanceOf(KvResult.Failed.class, results.get("wrong-shape"));

      // getAll leaves the failures out; get names the key in the exception.
      assertEquals(Set.of("good"), ns.blocking().getAll(results.keySet()).keySet());
      KvCodecException e = assertThrows(KvCodecException.class,
          () -> ns.blocking().get("garbage"));
      assertEquals("garbage", e.key());
    }

    /**
     * Whatever a namespace accepts it reads back, so no value can be written that no read returns. A JSON string just under the
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
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      ns.put("k", Sample.of("a", 1, 1));
      assertTrue(ns.delete("k"));
      assertFalse(ns.delete("k"));
      assertEquals(Optional.empty(), ns.get("k"));
    }

    @Test
    void deleteAllCountsTheKeysThatExisted() {
      BlockingKvNamespace<Sample> ns = workouts().blocking();
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
      KvNamespace<Sample> ns = store.namespace(configure(NamespaceOptions
          .builder(uniqueName("ttl"), Sample.class)).ttl(TtlPolicy.fixed(shortTtl())).build());
      ns.blocking().put("k", Sample.of("a", 1, 1));
      assertTrue(ns.blocking().get("k").isPresent());
      advanceTime(shortTtl().plusMillis(200));
      assertEquals(Optional.empty(), ns.blocking().get("k"));
      assertEquals(Map.of(), ns.blocking().getAll(List.of("k")));
      assertEquals(List.of(), ns.blocking().list(ListOptions.all()).keys());
      assertFalse(ns.blocking().delete("k"));
    }

    @Test
    void noTtlKeepsKeysAndListsNoExpiration() {
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      ns.put("k", Sample.of("a", 1, 1));
      advanceTime(shortTtl().plusMillis(200));
      assertTrue(ns.get("k").isPresent());
      assertEquals(List.of(new KvKey("k", Optional.empty())), ns.list(ListOptions.all()).keys());
    }

    @Test
    void putOptionsOverrideTheNamespacePolicy() {
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      ns.put("short", Sample.of("a", 1, 1), PutOptions.ttl(shortTtl()));
      ns.put("long", Sample.of("a", 1, 1), PutOptions.ttl(TtlPolicy.fixed(Duration.ofDays(1))));
      KvKey listed = ns.list(ListOptions.prefix("long")).keys().get(0);
      Instant expiry = listed.expiration().orElseThrow();
      Instant lowerBound = storeNow().plus(Duration.ofDays(1)).minus(Duration.ofMinutes(1));
      assertTrue(expiry.isAfter(lowerBound), () -> expiry + " is before " + lowerBound);
      advanceTime(shortTtl().plusMillis(200));
      assertEquals(Set.of("long"), ns.getAll(List.of("short", "long")).keySet());
    }

    @Test
    void keepTtlKeepsTheExistingExpiry() {
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      ns.put("k", Sample.of("a", 1, 1), PutOptions.ttl(shortTtl()));
      ns.put("k", Sample.of("b", 1, 1), PutOptions.keepTtl());
      assertEquals("b", ns.get("k").orElseThrow().user());
      advanceTime(shortTtl().plusMillis(200));
      assertEquals(Optional.empty(), ns.get("k"));
    }

    @Test
    void slidingTtlIsExtendedByReads() {
      Duration ttl = shortTtl().multipliedBy(2);
      KvNamespace<Sample> ns = store.namespace(configure(NamespaceOptions
          .builder(uniqueName("sliding"), Sample.class).ttl(TtlPolicy.sliding(ttl))).build());
      ns.blocking().put("read", Sample.of("a", 1, 1));
      ns.blocking().put("unread", Sample.of("a", 1, 1));
      for (int i = 0; i < 4; i++) {
        advanceTime(ttl.dividedBy(2));
        assertTrue(ns.blocking().get("read").isPresent(), "read " + i);
      }
      assertEquals(Set.of("read"), ns.blocking().getAll(List.of("read", "unread")).keySet());
    }

    @Test
    void absoluteExpiryIsHonouredAndAPastInstantIsRejected() {
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      Instant at = storeNow().plus(Duration.ofHours(1));
      ns.put("k", Sample.of("a", 1, 1), PutOptions.ttl(TtlPolicy.at(at)));
      Instant listed = ns.list(ListOptions.all()).keys().get(0).expiration().orElseThrow();
      assertTrue(Math.abs(listed.toEpochMilli() - at.toEpochMilli()) < 1000, listed + " vs " + at);
      assertValidation("ttl", () -> ns.put("k", Sample.of("a", 1, 1),
          PutOptions.ttl(TtlPolicy.at(storeNow().minusSeconds(1)))));
    }

    @Test
    void jitterShortensTtlsWithinTheBound() {
      Duration ttl = Duration.ofHours(10);
      KvNamespace<Sample> ns = store.namespace(configure(NamespaceOptions.builder(
          uniqueName("jitter"),
          Sample.class)).ttl(TtlPolicy.fixed(ttl).withJitter(0.5)).build());
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
      BlockingKvNamespace<Sample> ns = workouts().blocking();
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
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      Sample w = Sample.of("p", 1, 1);
      Map<String, Sample> data = new LinkedHashMap<>();
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
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      Map<String, Sample> data = workoutsOf("lv", 25);
      ns.putAll(data);
      ListOptions options = ListOptions.prefix("lv:").limit(10);
      Map<String, Sample> seen = new LinkedHashMap<>();
      KvValuePage<Sample> page = ns.listValues(options);
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
      KvNamespace<Sample> ns = workouts();
      ns.blocking().putAll(workoutsOf("f", 3));
      store.namespace(configure(NamespaceOptions.builder(ns.name(), KvCodec.utf8())).build())
          .blocking()
          .put("f:broken", "not json");
      KvValuePage<Sample> page = ns.blocking().listValues(ListOptions.prefix("f:"));
      assertEquals(3, page.entries().size());
      assertEquals(Set.of("f:broken"), page.failures().keySet());
    }

    @Test
    void scanValuesStreamsEveryPage() {
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      Sample w = Sample.of("s", 1, 1);
      Map<String, Sample> data = new LinkedHashMap<>();
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
      BlockingKvNamespace<Sample> ns = workouts().blocking();
      Sample w = Sample.of("x", 1, 1);
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
      KvNamespace<Sample> a = store.namespace(
          configure(NamespaceOptions.builder(base, Sample.class))
          .build());
      KvNamespace<Sample> b = store.namespace(
          configure(NamespaceOptions.builder(base + "2", Sample.class))
          .build());
      KvNamespace<Sample> star = store.namespace(
          configure(NamespaceOptions.builder(base + "*", Sample.class)).build());
      a.blocking().put("k", Sample.of("a", 1, 1));
      b.blocking().put("k", Sample.of("b", 1, 1));
      b.blocking().put("2:k", Sample.of("b", 1, 1));
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
      KvNamespace<Sample> ns = workouts();
      Sample w = Sample.of("v", 1, 1);
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
          Map<String, Sample> entries = new LinkedHashMap<>();
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
      KvNamespace<Sample> ns = store.namespace(configure(NamespaceOptions
          .builder(uniqueName("args"), Sample.class)).maxValueBytes(200).build());
      Sample w = Sample.of("v", 1, 1);
      long trips = KvRoundTrips.count(store, () -> {
        assertValidation("value", () -> ns.put("k", null));
        assertValidation("value", () -> ns.put("k", new Sample("v".repeat(300), 1, 1,
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
        assertValidation("name", () -> NamespaceOptions.builder("has:colon", Sample.class));
        assertValidation("name", () -> NamespaceOptions.builder("", Sample.class));
      });
      assertEquals(0, trips);
    }

    @Test
    void cursorsFromAnotherListingOrAlteredAreRejected() {
      KvNamespace<Sample> ns = workouts();
      KvNamespace<Sample> other = workouts();
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

  /** {@code stats()}, {@code ping()}, {@code close()} and concurrent writers. */
  @Nested
  class StatsAndLifecycle {
    @Test
    void statsCountOperationsRoundTripsAndKeysRead() {
      KvNamespace<Sample> ns = workouts();
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
     * One rule for errors, so callers handle store failures in one place: after {@code close()} every operation returns a future that
     * fails with {@link KvUnavailableException} (a store failure), while a bad argument still
     * throws {@link KvValidationException} from the call itself.
     */
    @Test
    void aClosedStoreFailsTheFutureAndBadArgumentsStillThrow() {
      KvNamespace<Sample> ns = workouts();
      Sample w = Sample.of("a", 1, 1);
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
      KvNamespace<Sample> ns = workouts();
      int writers = 4;
      int perWriter = 50;
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
          int id = t;
          tasks.add(() -> {
            for (int i = 0; i < perWriter; i++) {
              ns.blocking().put("c" + id + ":" + i, Sample.of("c" + id, 1, 1));
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
