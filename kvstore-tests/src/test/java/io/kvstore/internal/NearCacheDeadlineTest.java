package io.kvstore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.KvCodec;
import io.kvstore.KvException;
import io.kvstore.NearCacheOptions;
import io.kvstore.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Deadlines are the near cache's own, checked by the read (Caffeine has no expiry to run): an
 * entry is served until its deadline and never after, an expired one is removed and counted as
 * an eviction, and what must not be kept is gone once its load completes.
 */
class NearCacheDeadlineTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
  private final AtomicInteger evictions = new AtomicInteger();
  private final AtomicInteger loads = new AtomicInteger();
  private final LocalWrites writes = new LocalWrites(keys -> this.cache.invalidate(keys));
  private final NearCache<String> cache = cache();

  private NearCache<String> cache() {
    return new NearCache<>(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(1))
        .negativeTtl(Duration.ofSeconds(5)).build(), KvCodec.utf8(), clock,
        evictions::incrementAndGet, writes);
  }

  private NearCache.Cached<String> load(String key,
      Function<String, NearCache.Cached<String>> entry) {
    return cache.getAll(List.of(key), batch -> {
      loads.incrementAndGet();
      Map<String, NearCache.Cached<String>> loaded = new HashMap<>();
      batch.forEach(k -> loaded.put(k, entry.apply(k)));
      return CompletableFuture.completedFuture(loaded);
    }).join().get(key);
  }

  @Test
  void aValueIsServedUntilItsKeysTtlAndThenRemovedAsAnEviction() {
    Instant expires = clock.instant().plusSeconds(10);
    load("k", k -> cache.hit(k, "v", expires, 1, cache.epoch(), writes.stamp(k)));
    clock.advance(Duration.ofMillis(9_999));
    assertInstanceOf(NearCache.Hit.class, cache.getIfReady("k", cache.now()));
    clock.advance(Duration.ofMillis(1));
    assertNull(cache.getIfReady("k", cache.now()));
    assertEquals(1, evictions.get());
    load("k", k -> cache.hit(k, "w", null, 1, cache.epoch(), writes.stamp(k)));
    assertEquals(2, loads.get(), "the expired key was loaded again");
  }

  @Test
  void expireAfterWriteBoundsAValueWithoutTtl() {
    load("k", k -> cache.hit(k, "v", null, 1, cache.epoch(), writes.stamp(k)));
    clock.advance(Duration.ofSeconds(59));
    assertInstanceOf(NearCache.Hit.class, cache.getIfReady("k", cache.now()));
    clock.advance(Duration.ofSeconds(1));
    assertNull(cache.getIfReady("k", cache.now()));
  }

  @Test
  void aMissingKeyIsRememberedForTheNegativeTtl() {
    load("k", k -> cache.absent(k, writes.stamp(k), cache.epoch()));
    clock.advance(Duration.ofMillis(4_999));
    assertInstanceOf(NearCache.Absent.class, cache.getIfReady("k", cache.now()));
    clock.advance(Duration.ofMillis(1));
    assertNull(cache.getIfReady("k", cache.now()));
  }

  @Test
  void aFailedValueReachesItsWaitersAndIsNotKept() {
    NearCache.Cached<String> got = load("k",
        k -> new NearCache.Failed<>(new KvException("bad value")));
    assertInstanceOf(NearCache.Failed.class, got);
    load("k", k -> cache.hit(k, "v", null, 1, cache.epoch(), writes.stamp(k)));
    assertEquals(2, loads.get(), "the failure was not served from the cache");
    assertEquals(0, evictions.get(), "a failure removed after its load is no eviction");
  }

  @Test
  void aValueReadWhileThisInstanceWritesTheKeyIsNotKept() {
    CompletableFuture<Void> write = new CompletableFuture<>();
    writes.around(List.of("k"), () -> write);
    assertInstanceOf(NearCache.Hit.class, load("k", k -> cache.hit(k, "old", null, 1,
        cache.epoch(), writes.stamp(k))));
    assertNull(cache.getIfReady("k", cache.now()), "loaded during the write");
    write.complete(null);
    load("k", k -> cache.hit(k, "new", null, 1, cache.epoch(), writes.stamp(k)));
    assertInstanceOf(NearCache.Hit.class, cache.getIfReady("k", cache.now()), "after it");
  }

  @Test
  void aValueWhoseReadBeganBeforeAWriteEndedIsNotKept() {
    CompletableFuture<Void> write = new CompletableFuture<>();
    writes.around(List.of("k"), () -> write);
    long stamp = writes.stamp("k"); // the read begins while the write is in flight
    write.completeExceptionally(new KvException("timed out, outcome unknown"));
    load("k", k -> cache.hit(k, "maybe old", null, 1, cache.epoch(), stamp));
    assertNull(cache.getIfReady("k", cache.now()));
  }

  @Test
  void aCacheOpenedWhileTheNamespaceIsWrittenKeepsNothingTheWriteMayMake() {
    CompletableFuture<Void> write = new CompletableFuture<>();
    writes.around(List.of("k"), () -> write);
    NearCache<String> later = cache(); // another view of the namespace, opened mid-write
    later.getAll(List.of("k"), batch -> CompletableFuture.completedFuture(Map.of("k",
        later.hit("k", "old", null, 1, later.epoch(), writes.stamp("k"))))).join();
    assertNull(later.getIfReady("k", later.now()));
  }

  @Test
  void aWriteThatThrowsBeforeSendingEndsItsBracket() {
    assertThrows(IllegalStateException.class, () -> writes.around(List.of("k"), () -> {
      throw new IllegalStateException("refused before sending");
    }));
    load("k", k -> cache.hit(k, "v", null, 1, cache.epoch(), writes.stamp(k)));
    assertInstanceOf(NearCache.Hit.class, cache.getIfReady("k", cache.now()));
  }

  @Test
  void aValueReadAcrossAPauseReachesItsWaitersAndIsNotKept() {
    long before = cache.epoch();
    cache.pause();
    cache.resume();
    NearCache.Cached<String> got = load("k",
        k -> cache.hit(k, "v", null, 1, before, writes.stamp(k)));
    assertInstanceOf(NearCache.Hit.class, got);
    assertNull(cache.getIfReady("k", cache.now()));
    assertEquals(0, evictions.get(), "removed when its load completed, not met expired");
  }
}
