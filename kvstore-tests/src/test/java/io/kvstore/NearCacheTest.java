package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The near cache on the embedded store: hits cost no round trip, misses one batch, concurrent
 * loads of a key one fetch, and a cached value never outlives its key or survives a write.
 */
class NearCacheTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<KvEvent> events = new CopyOnWriteArrayList<>();
  private KvStore store;

  @AfterEach
  void close() {
    store.close();
  }

  private KvNamespace<Workout> open(Duration latency, NearCacheOptions nearCache, TtlPolicy ttl) {
    store = KvStores.inMemory(InMemoryOptions.builder().clock(clock)
        .simulatedEdge(SimulatedEdge.latency(latency))
        .observability(ObservabilityOptions.builder().listener(KvListener.of(events::add))
            .build()).build());
    return store.namespace(NamespaceOptions.builder("workout", Workout.class).ttl(ttl)
        .nearCache(nearCache).build());
  }

  private KvNamespace<Workout> open() {
    return open(Duration.ZERO, NearCacheOptions.builder().build(), TtlPolicy.none());
  }

  private static Map<String, Workout> program(String user, int count) {
    Map<String, Workout> data = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      Workout w = Workout.of(user, i / 4 + 1, i % 4 + 1);
      data.put(w.key(), w);
    }
    return data;
  }

  @Test
  void repeatedGetAllIsAnsweredLocally() {
    KvNamespace<Workout> ns = open();
    Map<String, Workout> data = program("u", 64);
    ns.blocking().putAll(data);
    assertEquals(1, KvRoundTrips.count(store, () -> assertEquals(data,
        ns.blocking().getAll(data.keySet()))));
    assertEquals(0, KvRoundTrips.count(store, () -> assertEquals(data,
        ns.blocking().getAll(data.keySet()))));
    KvEvent last = events.get(events.size() - 1);
    assertEquals(64, last.nearCacheHits());
    assertEquals(0, last.nearCacheMisses());
    assertEquals(64, store.stats().nearCacheHits());
    assertEquals(64, store.stats().nearCacheMisses());
    assertEquals(1, store.stats().nearCacheLoads());
  }

  @Test
  void allMissesOfAGetAllAreFetchedInOneBatchAndTheOrderIsKept() {
    KvNamespace<Workout> ns = open();
    Map<String, Workout> data = program("u", 64);
    ns.blocking().putAll(data);
    List<String> keys = new ArrayList<>(data.keySet());
    ns.blocking().getAll(keys.subList(0, 58));
    events.clear();
    List<String> reversed = new ArrayList<>(keys);
    java.util.Collections.reverse(reversed);
    Map<String, Workout>[] got = new Map[1];
    assertEquals(1, KvRoundTrips.count(store, () -> got[0] = ns.blocking().getAll(reversed)));
    assertEquals(reversed, new ArrayList<>(got[0].keySet()));
    assertEquals(58, events.get(0).nearCacheHits());
    assertEquals(6, events.get(0).nearCacheMisses());
  }

  @Test
  void concurrentLoadsOfOneKeyShareOneFetch() {
    KvNamespace<Workout> ns = open(Duration.ofMillis(50), NearCacheOptions.builder().build(),
        TtlPolicy.none());
    ns.blocking().put("k", Workout.of("u", 1, 1));
    long trips = KvRoundTrips.count(store, () -> {
      List<CompletableFuture<?>> loads = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        loads.add(ns.get("k"));
        loads.add(ns.getAll(List.of("k")));
      }
      CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).join();
      loads.forEach(f -> assertTrue(f.join() instanceof Optional<?> o ? o.isPresent()
          : ((Map<?, ?>) f.join()).size() == 1));
    });
    assertEquals(1, trips);
  }

  @Test
  void writesThroughThisStoreAreReadBackAtOnce() {
    KvNamespace<Workout> ns = open();
    ns.blocking().put("k", Workout.of("old", 1, 1));
    assertEquals("old", ns.blocking().get("k").orElseThrow().user());
    ns.blocking().put("k", Workout.of("new", 1, 1));
    assertEquals("new", ns.blocking().get("k").orElseThrow().user());
    ns.blocking().putAll(Map.of("k", Workout.of("batch", 1, 1)));
    assertEquals("batch", ns.blocking().get("k").orElseThrow().user());
    ns.blocking().delete("k");
    assertEquals(Optional.empty(), ns.blocking().get("k"));
    ns.blocking().put("k", Workout.of("again", 1, 1));
    ns.blocking().deleteAll(List.of("k"));
    assertEquals(Optional.empty(), ns.blocking().get("k"));
  }

  @Test
  void aWriteThroughAnotherViewOfTheNamespaceDropsTheCachedValue() {
    KvNamespace<Workout> ns = open();
    ns.blocking().put("k", Workout.of("u", 1, 1));
    ns.blocking().get("k");
    BlockingKvNamespace<byte[]> raw = store.namespace(
        NamespaceOptions.builder("workout", KvCodec.bytes()).build()).blocking();
    raw.put("k", "{not json".getBytes(StandardCharsets.UTF_8));
    assertThrows(KvCodecException.class, () -> ns.blocking().get("k"));
  }

  @Test
  void aCachedValueNeverOutlivesItsKey() {
    KvNamespace<Workout> ns = open(Duration.ZERO, NearCacheOptions.builder()
        .expireAfterWrite(Duration.ofMinutes(10)).build(), TtlPolicy.fixed(Duration.ofSeconds(5)));
    ns.blocking().put("k", Workout.of("u", 1, 1));
    assertTrue(ns.blocking().get("k").isPresent());
    clock.advance(Duration.ofSeconds(4));
    assertEquals(0, KvRoundTrips.count(store, () -> ns.blocking().get("k")));
    clock.advance(Duration.ofSeconds(2));
    assertEquals(Optional.empty(), ns.blocking().get("k"));
  }

  @Test
  void entriesExpireAfterWriteEvenIfTheKeyLivesOn() {
    KvNamespace<Workout> ns = open(Duration.ZERO, NearCacheOptions.builder()
        .expireAfterWrite(Duration.ofSeconds(30)).build(), TtlPolicy.none());
    ns.blocking().put("k", Workout.of("u", 1, 1));
    ns.blocking().get("k");
    clock.advance(Duration.ofSeconds(31));
    assertEquals(1, KvRoundTrips.count(store, () -> ns.blocking().get("k")));
  }

  @Test
  void missingKeysAreRememberedOnlyWithANegativeTtl() {
    KvNamespace<Workout> without = open();
    without.blocking().get("nope");
    assertEquals(1, KvRoundTrips.count(store, () -> without.blocking().get("nope")));
    store.close();

    KvNamespace<Workout> with = open(Duration.ZERO, NearCacheOptions.builder()
        .negativeTtl(Duration.ofSeconds(2)).build(), TtlPolicy.none());
    with.blocking().get("nope");
    assertEquals(0, KvRoundTrips.count(store, () -> with.blocking().get("nope")));
    clock.advance(Duration.ofSeconds(3));
    assertEquals(1, KvRoundTrips.count(store, () -> with.blocking().get("nope")));
    with.blocking().put("nope", Workout.of("u", 1, 1));
    assertTrue(with.blocking().get("nope").isPresent(), "a write drops the negative entry");
  }

  @Test
  void undecodableValuesFailTheirKeyAndAreNeverCached() {
    KvNamespace<Workout> ns = open();
    store.namespace(NamespaceOptions.builder("workout", KvCodec.utf8()).build()).blocking()
        .put("bad", "not json");
    ns.blocking().put("good", Workout.of("u", 1, 1));
    Map<String, KvResult<Workout>> first = ns.blocking().getAllResults(List.of("good", "bad"));
    assertInstanceOf(KvResult.Failed.class, first.get("bad"));
    assertEquals(1, KvRoundTrips.count(store, () -> assertInstanceOf(KvResult.Failed.class,
        ns.blocking().getAllResults(List.of("good", "bad")).get("bad"))));
  }

  @Test
  void theCacheIsBoundedAndCountsEvictions() {
    KvNamespace<Workout> ns = open(Duration.ZERO, NearCacheOptions.builder().maximumSize(10)
        .build(), TtlPolicy.none());
    Map<String, Workout> data = program("e", 64);
    ns.blocking().putAll(data);
    for (String key : data.keySet()) {
      ns.blocking().get(key);
    }
    assertTrue(store.stats().nearCacheEvictions() >= 50, store.stats().toString());
  }

  @Test
  void optionsAreValidated() {
    assertThrows(KvValidationException.class, () -> NearCacheOptions.builder().maximumSize(0));
    assertThrows(KvValidationException.class,
        () -> NearCacheOptions.builder().expireAfterWrite(Duration.ZERO));
    assertThrows(KvValidationException.class, () -> NearCacheOptions.builder()
        .expireAfterWrite(Duration.ofSeconds(1)).negativeTtl(Duration.ofSeconds(2)).build());
    KvValidationException sliding = assertThrows(KvValidationException.class,
        () -> NamespaceOptions.builder("w", Workout.class)
            .ttl(TtlPolicy.sliding(Duration.ofMinutes(5)))
            .nearCache(NearCacheOptions.builder().build()).build());
    assertEquals("nearCache", sliding.argument());
    store = KvStores.inMemory();
  }
}
