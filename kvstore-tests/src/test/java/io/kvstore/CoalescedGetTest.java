package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.internal.memory.InMemoryBackend;
import io.kvstore.testkit.MutableClock;
import io.kvstore.testing.Workout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Coalesced gets on the embedded store: concurrent single gets of a namespace leave as one batch
 * at the store's next chance to send, one round trip, each caller gets its own key's value or
 * error, and the semantics of a single get are kept. Bursts are issued while the store holds its
 * sends and reads (see {@link #burst}), as a connection busy writing would, so the counts do not
 * depend on how fast a loaded machine runs the test; the tests on a simulated edge network
 * (its request slots, many threads) assert what holds however the threads interleave. Round
 * trips and values are asserted, never times.
 */
class CoalescedGetTest {
  private static final Duration RTT = Duration.ofMillis(5);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T07:30:00Z"));
  private KvStore store;
  private ObservedBackend backend;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  /** Opens a store over the real embedded backend, watched by {@link ObservedBackend}. */
  private KvStore open(InMemoryOptions options) {
    backend = new ObservedBackend(new InMemoryBackend(options.clock()));
    store = KvStores.fromBackend(backend, options);
    return store;
  }

  private KvStore open() {
    return open(InMemoryOptions.builder().clock(clock).coalesceGets(true).build());
  }

  private static NamespaceOptions.Builder<Workout> workouts() {
    return NamespaceOptions.builder("workout", Workout.class);
  }


  /**
   * Issues every get without waiting, then waits for all: the {@code Promise.all} pattern.
   * The store holds its sends until the last get is issued, as a connection still writing
   * would: so the gets all join the batch being formed, as they do whenever issuing them takes
   * less than a hand-off to the I/O thread, but without depending on how fast this thread runs
   * on a loaded machine.
   */
  private Map<String, Optional<Workout>> burst(KvNamespace<Workout> ns, List<String> keys) {
    List<CompletableFuture<Optional<Workout>>> gets;
    backend.holdReads();
    try {
      gets = keys.stream().map(ns::get).toList();
    } finally {
      backend.releaseReads();
    }
    CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).join();
    Map<String, Optional<Workout>> results = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      results.put(keys.get(i), gets.get(i).join());
    }
    return results;
  }

  @Test
  void sixtyFourConcurrentGetsFitABudgetOfOneRoundTripAndALoopOfJoinedGetsDoesNot() {
    KvNamespace<Workout> ns = open().namespace(workouts().build());
    Map<String, Workout> data = Workout.program("user-42", 64);
    ns.blocking().putAll(data);
    List<String> keys = List.copyOf(data.keySet());

    KvRoundTrips.Recording burst = KvRoundTrips.record(store, () -> {
      Map<String, Optional<Workout>> results = burst(ns, keys);
      data.forEach((key, value) -> assertEquals(Optional.of(value), results.get(key)));
    });
    assertEquals(1, burst.roundTrips(), burst::summary);
    // One event per caller, so listeners still see 64 gets, with the round trip counted once.
    assertEquals(64, burst.operations().size());
    assertTrue(burst.operations().stream().allMatch(e -> e.operation() == KvOperation.GET
        && e.keyCount() == 1 && e.found() == 1 && e.succeeded()), burst::summary);
    assertEquals(1, burst.operations().stream().filter(e -> e.roundTrips() == 1).count());
    // The batch went to the store as one read of the 64 keys.
    assertEquals(List.of(64), backend.readSizes());
    assertEquals(1, KvRoundTrips.assertAtMost(store, 1, () -> burst(ns, keys)));

    AssertionError loop = assertThrows(AssertionError.class,
        () -> KvRoundTrips.assertAtMost(store, 1, () -> keys.forEach(k -> ns.get(k).join())));
    assertTrue(loop.getMessage().contains("the block made 64: 64 x get on namespace 'workout'"
        + " (64 round trips)"), loop.getMessage());
    assertTrue(loop.getMessage().contains("getAll"), loop.getMessage());
  }

  @Test
  void behindACapOfSixTheGetsWaitingForASlotJoinOneRequest() {
    KvNamespace<Workout> ns = open(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(RTT)
        .withMaxConcurrentRequests(6)).clock(clock).coalesceGets(true).build())
        .namespace(workouts().build());
    Map<String, Workout> data = Workout.program("user-7", 64);
    ns.blocking().putAll(data);
    List<String> keys = List.copyOf(data.keySet());

    KvRoundTrips.Recording r = KvRoundTrips.record(store, () -> {
      // Six reads take every slot and are held by the store; the burst waits for a slot.
      backend.holdReads();
      List<CompletableFuture<Map<String, Workout>>> busy = keys.subList(0, 6).stream()
          .map(k -> ns.getAll(List.of(k))).toList();
      List<CompletableFuture<Optional<Workout>>> gets = keys.stream().map(ns::get).toList();
      backend.releaseReads();
      busy.forEach(CompletableFuture::join);
      for (int i = 0; i < keys.size(); i++) {
        assertEquals(Optional.of(data.get(keys.get(i))), gets.get(i).join());
      }
    });
    // The six reads, then the 64 gets as one request: not 11 rounds of 6 behind the cap.
    assertEquals(7, r.roundTrips(), r::summary);
    assertEquals(List.of(1, 1, 1, 1, 1, 1, 64), backend.readSizes());
  }

  @Test
  void gatheredFromManyThreadsTheGetsStillShareBatches() {
    KvNamespace<Workout> ns = open(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(RTT)).clock(clock).coalesceGets(true).build())
        .namespace(workouts().build());
    Map<String, Workout> data = Workout.program("user-3", 64);
    ns.blocking().putAll(data);
    List<String> keys = List.copyOf(data.keySet());
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      CountDownLatch issued = new CountDownLatch(keys.size());
      long trips = KvRoundTrips.count(store, () -> {
        List<CompletableFuture<Optional<Workout>>> gets = new ArrayList<>();
        for (String key : keys) {
          gets.add(CompletableFuture.supplyAsync(() -> {
            await(start);
            CompletableFuture<Optional<Workout>> get = ns.get(key);
            issued.countDown();
            return get;
          }, threads).thenCompose(f -> f));
        }
        // Reads stay in flight until every get is issued, as they would over a slow link, so
        // the edge's request slots fill however slowly a loaded machine runs the threads.
        backend.holdReads();
        start.countDown();
        await(issued);
        backend.releaseReads();
        for (int i = 0; i < keys.size(); i++) {
          assertEquals(Optional.of(data.get(keys.get(i))), gets.get(i).join());
        }
      });
      // However the threads interleave, the gets issued during one hand-off to the edge's
      // thread share a batch, and every batch is counted: one round trip per request.
      assertTrue(trips < 64, trips + " round trips");
      assertEquals(backend.reads.size(), trips, backend.readSizes()::toString);
    } finally {
      threads.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void eachCallerGetsItsOwnKeysValueMissOrDecodeError() {
    open();
    KvNamespace<Workout> ns = store.namespace(workouts().build());
    KvNamespace<byte[]> raw = store.namespace(NamespaceOptions.builder("workout",
        KvCodec.bytes()).build());
    Map<String, Workout> data = Workout.program("user-5", 8);
    ns.blocking().putAll(data);
    raw.blocking().put("broken", "{not json".getBytes(StandardCharsets.UTF_8));
    List<String> keys = new ArrayList<>();
    keys.add("first");            // missing
    keys.addAll(data.keySet());
    keys.add("broken");
    keys.add("absent");

    backend.holdReads();
    List<CompletableFuture<Optional<Workout>>> gets = keys.stream().map(ns::get).toList();
    backend.releaseReads();
    CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).handle((v, e) -> null)
        .join();

    assertEquals(Optional.empty(), gets.get(0).join());
    int i = 1;
    for (Workout w : data.values()) {
      assertEquals(Optional.of(w), gets.get(i++).join());
    }
    CompletionException broken = assertThrows(CompletionException.class,
        () -> gets.get(keys.indexOf("broken")).join());
    assertInstanceOf(KvCodecException.class, broken.getCause());
    assertEquals("broken", ((KvCodecException) broken.getCause()).key());
    assertEquals(Optional.empty(), gets.get(keys.indexOf("absent")).join());
    assertEquals(List.of(keys.size()), backend.readSizes());
  }

  @Test
  void aFailedBatchFailsOnlyItsOwnCallers() {
    KvNamespace<Workout> ns = open().namespace(workouts().build());
    Map<String, Workout> data = Workout.program("user-6", 6);
    ns.blocking().putAll(data);
    List<String> keys = List.copyOf(data.keySet());
    backend.failReadsOf = "poison";

    assertEquals(Optional.of(data.get(keys.get(0))), ns.get(keys.get(0)).join());
    backend.holdReads();
    List<CompletableFuture<Optional<Workout>>> batch = List.of(ns.get(keys.get(1)),
        ns.get("poison"), ns.get(keys.get(2)));
    backend.releaseReads();
    for (CompletableFuture<Optional<Workout>> get : batch) {
      CompletionException e = assertThrows(CompletionException.class, get::join);
      assertInstanceOf(KvUnavailableException.class, e.getCause());
    }
    // The next batch is on its own: it succeeds.
    Map<String, Optional<Workout>> after = burst(ns, keys.subList(3, 6));
    keys.subList(3, 6).forEach(k -> assertEquals(Optional.of(data.get(k)), after.get(k)));
    assertEquals(List.of(1, 3), backend.readSizes().subList(0, 2));
  }

  @Test
  void aKeyAskedForByManyCallersIsReadOnce() {
    KvNamespace<Workout> ns = open().namespace(workouts().build());
    Map<String, Workout> data = Workout.program("user-8", 4);
    ns.blocking().putAll(data);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      keys.addAll(data.keySet());
    }
    backend.holdReads();
    List<CompletableFuture<Optional<Workout>>> gets = keys.stream().map(ns::get).toList();
    backend.releaseReads();
    for (int i = 0; i < keys.size(); i++) {
      assertEquals(Optional.of(data.get(keys.get(i))), gets.get(i).join());
    }
    // One batch of the 4 distinct keys, each read once, in the order first asked for.
    assertEquals(List.of(4), backend.readSizes());
    assertEquals(List.copyOf(data.keySet()), backend.reads.get(0));
  }

  @Test
  void badInputThrowsFromTheCallAndQueuesNothing() {
    KvNamespace<Workout> ns = open().namespace(workouts().build());
    backend.holdReads();
    CompletableFuture<Optional<Workout>> inFlight = ns.get("a");
    assertThrows(KvValidationException.class, () -> ns.get(""));
    assertThrows(KvValidationException.class, () -> ns.get(null));
    assertThrows(KvValidationException.class, () -> ns.get("x".repeat(600)));
    backend.releaseReads();
    assertEquals(Optional.empty(), inFlight.join());
    assertEquals(List.of(1), backend.readSizes());
  }

  @Test
  void slidingTtlsAreStillExtendedByEveryCoalescedRead() {
    KvNamespace<Workout> ns = open().namespace(workouts()
        .ttl(TtlPolicy.sliding(Duration.ofMinutes(10))).build());
    Map<String, Workout> data = Workout.program("user-9", 16);
    ns.blocking().putAll(data);
    List<String> keys = List.copyOf(data.keySet());

    for (int round = 0; round < 3; round++) {
      clock.advance(Duration.ofMinutes(8));
      long trips = KvRoundTrips.count(store, () -> {
        Map<String, Optional<Workout>> results = burst(ns, keys);
        data.forEach((key, value) -> assertEquals(Optional.of(value), results.get(key)));
      });
      assertEquals(1, trips);
    }
    // 24 minutes after the write, every key lives on because every read extended it.
    clock.advance(Duration.ofMinutes(9));
    assertEquals(data, ns.blocking().getAll(keys));
    clock.advance(Duration.ofMinutes(11));
    assertEquals(Map.of(), ns.blocking().getAll(keys));
  }

  @Test
  void nearCacheMissesJoinOneBatchAndConcurrentGetsOfAKeyShareOneFetch() {
    KvNamespace<Workout> ns = open().namespace(workouts()
        .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(1)).build())
        .build());
    Map<String, Workout> data = Workout.program("user-10", 32);
    ns.blocking().putAll(data);
    List<String> keys = new ArrayList<>(data.keySet());
    keys.addAll(data.keySet()); // every key asked for twice in the same burst

    KvRoundTrips.Recording misses = KvRoundTrips.record(store, () -> {
      Map<String, Optional<Workout>> results = burst(ns, keys);
      data.forEach((key, value) -> assertEquals(Optional.of(value), results.get(key)));
    });
    assertEquals(1, misses.roundTrips(), misses::summary);
    // Single-flight: the second get of each key joined the first one's fetch.
    assertEquals(List.of(32), backend.readSizes());
    assertEquals(32, store.stats().nearCacheMisses());

    long hits = KvRoundTrips.count(store, () -> burst(ns, keys));
    assertEquals(0, hits);
    assertEquals(List.of(32), backend.readSizes());
  }

  @Test
  void offForTheStoreEveryGetIsItsOwnRoundTripUnlessTheNamespaceTurnsItOn() {
    open(InMemoryOptions.builder().clock(clock).coalesceGets(false).build());
    KvNamespace<Workout> plain = store.namespace(workouts().build());
    KvNamespace<Workout> coalescing = store.namespace(workouts().coalesceGets(true).build());
    Map<String, Workout> data = Workout.program("user-11", 64);
    plain.blocking().putAll(data);
    List<String> keys = List.copyOf(data.keySet());

    assertEquals(64, KvRoundTrips.count(store, () -> burst(plain, keys)));
    assertEquals(1, KvRoundTrips.count(store, () -> burst(coalescing, keys)));
  }

  @Test
  void offForANamespaceItsGetsAreSentOneByOneAsBefore() {
    open();
    KvNamespace<Workout> plain = store.namespace(workouts().coalesceGets(false).build());
    KvNamespace<Workout> coalescing = store.namespace(workouts().build());
    Map<String, Workout> data = Workout.program("user-12", 64);
    plain.blocking().putAll(data);
    List<String> keys = List.copyOf(data.keySet());

    assertEquals(64, KvRoundTrips.count(store, () -> burst(plain, keys)));
    assertEquals(1, KvRoundTrips.count(store, () -> burst(coalescing, keys)));
    assertEquals(Optional.of(false), plain.options().coalesceGets());
    assertEquals(Optional.empty(), coalescing.options().coalesceGets());
    assertEquals(Optional.of(false),
        plain.options().toBuilder().build().coalesceGets());
  }

  @Test
  void theStoreSettingIsOnByDefaultAndKeptByToBuilder() {
    assertTrue(InMemoryOptions.builder().build().coalesceGets());
    assertFalse(InMemoryOptions.builder().coalesceGets(false).build().toBuilder().build()
        .coalesceGets());
    assertTrue(NamespaceOptions.DEFAULT_COALESCE_GETS);
  }
}
