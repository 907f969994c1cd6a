package io.kvstore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.NearCacheOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The near cache's two bounds on one Caffeine weight, on the cache itself with a loader that
 * completes on the calling thread, so Caffeine's eviction has run when {@code getAll} returns.
 */
class NearCacheWeightTest {
  private final AtomicInteger evictions = new AtomicInteger();
  /** No write is made here: nothing for it to drop. */
  private final LocalWrites writes = new LocalWrites(keys -> { });

  private NearCache<byte[]> cache(NearCacheOptions options) {
    return new NearCache<>(options, KvCodec.bytes(), Clock.systemUTC(), evictions::incrementAndGet,
        writes);
  }

  /** Loads {@code count} keys whose values weigh {@code bytes} each; returns how many stay. */
  private int loadAndCount(NearCache<byte[]> cache, int count, int bytes) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add("k" + i);
    }
    cache.getAll(keys, batch -> {
      Map<String, NearCache.Cached<byte[]>> loaded = new HashMap<>();
      batch.forEach(key -> loaded.put(key,
          cache.hit(key, new byte[bytes], null, bytes, cache.epoch(), writes.stamp(key))));
      return CompletableFuture.completedFuture(loaded);
    }).join();
    int cached = 0;
    for (String key : keys) {
      if (cache.getIfReady(key, cache.now()) != null) {
        cached++;
      }
    }
    return cached;
  }

  @Test
  void largeValuesStayUnderTheByteBound() {
    int cached = loadAndCount(cache(NearCacheOptions.builder().maximumBytes(100_000).build()),
        50, 20_000);
    assertTrue(cached <= 5, cached + " values of 20,000 bytes cached under a 100,000-byte bound");
    assertTrue(evictions.get() >= 45, evictions + " evictions");
  }

  @Test
  void valuesWithinBothBoundsAreAllKept() {
    assertEquals(4, loadAndCount(cache(NearCacheOptions.builder().maximumBytes(100_000).build()),
        4, 20_000));
    assertEquals(0, evictions.get());
  }

  @Test
  void theEntryBoundHoldsForSmallValues() {
    int cached = loadAndCount(cache(NearCacheOptions.builder().maximumSize(10).build()), 64, 10);
    assertTrue(cached <= 10, cached + " entries cached under a bound of 10");
    assertTrue(evictions.get() >= 54, evictions + " evictions");
  }
}
