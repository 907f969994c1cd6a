package io.kvstore.internal;

import io.kvstore.KvResult;
import io.kvstore.internal.codec.CompressingCodec;
import io.kvstore.spi.RawValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read path of a near-cached namespace. Hits are answered locally; the misses of this call
 * go to the store in one batch (read with their expirations, so no entry outlives its key), and
 * keys another call is already loading are joined, not fetched again. When every key is a hit,
 * the answer is built straight from the cached entries, without Caffeine's bulk-load machinery.
 * While the cache is paused (invalidations cannot be heard), every key goes to the store and
 * nothing is kept.
 *
 * @param <V> the value type
 */
final class NearCachedRead<V> implements ReadPath<V> {
  private final NearCache<V> cache;
  private final MissRead store;
  private final ValueDecoder<V> decoder;
  private final String describe;
  private final Runnable onLoad;

  /**
   * A near-cached read path.
   *
   * @param store reads misses, with their expirations
   * @param onLoad counts a load sent to the store
   */
  NearCachedRead(NearCache<V> cache, MissRead store, ValueDecoder<V> decoder, String describe,
      Runnable onLoad) {
    this.cache = cache;
    this.store = store;
    this.decoder = decoder;
    this.describe = describe;
    this.onLoad = onLoad;
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletableFuture<List<KvResult<V>>> read(Operation op, List<String> keys) {
    long epoch = cache.epoch();
    if (cache.paused()) {
      // Nobody would tell of a change: the store answers, and nothing is kept.
      op.nearCache(0, keys.size());
      onLoad.run();
      return store.read(op, keys).thenCompose(values -> decoder.decodeAll(describe, keys, values));
    }
    KvResult<V>[] results = new KvResult[keys.size()];
    List<String> pending = null;
    long now = cache.now();
    for (int i = 0; i < results.length; i++) {
      NearCache.Cached<V> entry = cache.getIfReady(keys.get(i), now);
      if (entry instanceof NearCache.Hit<V> hit) {
        results[i] = hit.handOut();
      } else if (entry instanceof NearCache.Absent) {
        results[i] = ValueDecoder.missing();
      } else {
        if (pending == null) {
          pending = new ArrayList<>();
        }
        pending.add(keys.get(i));
      }
    }
    if (pending == null) {
      op.nearCache(keys.size(), 0);
      return CompletableFuture.completedFuture(Arrays.asList(results));
    }
    AtomicInteger misses = new AtomicInteger();
    return cache.getAll(pending, batch -> {
      misses.set(batch.size());
      onLoad.run();
      long[] stamps = new long[batch.size()];
      LocalWrites writes = cache.writes();
      for (int i = 0; i < stamps.length; i++) {
        stamps[i] = writes.stamp(batch.get(i));
      }
      return store.read(op, batch).thenCompose(values -> decoder.decodeAll(describe, batch, values)
          .thenApply(decoded -> entries(batch, values, decoded, epoch, stamps)));
    }).thenApply(cached -> {
      op.nearCache(keys.size() - misses.get(), misses.get());
      for (int i = 0; i < results.length; i++) {
        if (results[i] == null) {
          results[i] = result(cached.get(keys.get(i)));
        }
      }
      return Arrays.asList(results);
    });
  }

  /**
   * What a load hands its waiters, and the cache keeps where nothing changed meanwhile: hits,
   * known misses when negative caching is on, failures (never kept).
   */
  private Map<String, NearCache.Cached<V>> entries(List<String> batch, List<RawValue> values,
      List<KvResult<V>> decoded, long epoch, long[] stamps) {
    Map<String, NearCache.Cached<V>> loaded = new HashMap<>(batch.size() * 2);
    for (int i = 0; i < batch.size(); i++) {
      KvResult<V> result = decoded.get(i);
      if (result instanceof KvResult.Found<V> found) {
        RawValue raw = values.get(i);
        loaded.put(batch.get(i), cache.hit(batch.get(i), found.value(), raw.expiration(),
            CompressingCodec.plainSize(cache.codec(), raw.bytes()), epoch, stamps[i]));
      } else if (result instanceof KvResult.Failed<V> failed) {
        loaded.put(batch.get(i), new NearCache.Failed<>(failed.error()));
      } else if (cache.cachesMissingKeys()) {
        NearCache.Absent<V> absent = cache.absent(batch.get(i), stamps[i], epoch);
        if (absent != null) {
          loaded.put(batch.get(i), absent);
        }
      }
    }
    return loaded;
  }

  private static <V> KvResult<V> result(NearCache.Cached<V> entry) {
    if (entry instanceof NearCache.Hit<V> hit) {
      return hit.handOut();
    }
    if (entry instanceof NearCache.Failed<V> failed) {
      return new KvResult.Failed<>(failed.error());
    }
    return ValueDecoder.missing();
  }
}
