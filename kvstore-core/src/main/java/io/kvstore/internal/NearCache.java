package io.kvstore.internal;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kvstore.KvCodec;
import io.kvstore.KvException;
import io.kvstore.KvResult;
import io.kvstore.NearCacheOptions;
import io.kvstore.spi.Failures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A namespace's near cache on Caffeine's {@link AsyncCache}, which gives the two properties that
 * matter for free: {@code getAll} hands every absent key to one bulk loader (one round trip for
 * all misses), and a key already being loaded is joined rather than loaded again (single-flight,
 * across {@code get} and {@code getAll}, since both go through {@code getAll}).
 *
 * <p>Each entry carries its own deadline: the shorter of {@code expireAfterWrite} and the key's
 * remaining TTL in the store, so a cached value never outlives its key; a known-missing key lives
 * {@code negativeTtl}; a value that failed to decode lives zero, so waiters on the same load see
 * the failure but it is never served from cache. The deadline is checked by the read, against one
 * clock reading per call, not by Caffeine: Caffeine's per-entry expiry reads its ticker and
 * reorders a timer wheel for every key looked up, which made a hit four times as dear (measured,
 * {@code NearCacheBenchmark}). An expired entry is removed when a read meets it; until then it
 * counts against the size bounds like any other, so memory stays bounded; a zero-life entry is
 * removed as soon as its load completes. Time comes from the store's clock, so tests move it by
 * hand.
 *
 * <p><b>Failed loads.</b> A load whose store call fails still completes its Caffeine future
 * normally, with a zero-life {@code LoadFailed} entry per key carrying the store's exception, and
 * {@link #getAll} turns it back into a failed future: callers and kvstore's events see the
 * failure, while Caffeine, which logs every exceptionally completed load as a {@code WARNING}
 * with a stack trace through {@code java.util.logging}, has nothing to log.
 *
 * <p><b>Shared values.</b> Every reader of a key gets the one decoded instance the cache holds,
 * so a value must not be changed by its readers. Arrays are the exception kvstore handles: a
 * {@code byte[]} (the {@code KvCodec.bytes()} codec) is copied for each reader by
 * {@link Hit#handOut}. The cached array itself needs no copy on the way in: it is decoded from the
 * store's reply and no caller ever holds it.
 *
 * @param <V> the value type
 */
final class NearCache<V> {
  /** What the cache holds for a key. */
  sealed interface Cached<V> {
    /**
     * Whether the entry may still be served.
     *
     * @param now the cache's clock, in nanoseconds ({@link #now()})
     * @return false once its deadline has passed, and always for what is never kept
     */
    default boolean liveAt(long now) {
      return false;
    }
  }

  /**
   * A decoded value, kept as the result every reader gets: a hit allocates nothing per key.
   *
   * @param found the value as a read's result
   * @param deadline when it stops being served, on the cache's clock ({@link #now()})
   * @param bytes its encoded size (before compression), what it weighs against
   *     {@code maximumBytes}
   */
  record Hit<V>(KvResult.Found<V> found, long deadline, int bytes) implements Cached<V> {
    @Override
    public boolean liveAt(long now) {
      return now < deadline;
    }

    /**
     * Returns the cached instance itself, for kvstore's own use (never handed to a reader).
     *
     * @return the value
     */
    V value() {
      return found.value();
    }

    /**
     * Returns the result a reader may keep: the shared one, or one holding a copy of an array.
     *
     * @return a result whose value no other reader holds, where the value is a {@code byte[]}
     */
    @SuppressWarnings("unchecked")
    KvResult.Found<V> handOut() {
      return found.value() instanceof byte[] bytes ? new KvResult.Found<>((V) bytes.clone())
          : found;
    }
  }

  /**
   * A key known to be missing (negative caching).
   *
   * @param deadline when it stops being served, on the cache's clock ({@link #now()})
   */
  record Absent<V>(long deadline) implements Cached<V> {
    @Override
    public boolean liveAt(long now) {
      return now < deadline;
    }
  }

  /**
   * A value that failed to decode: handed to waiting callers, failing their key alone, never
   * kept.
   *
   * @param error the failure
   */
  record Failed<V>(KvException error) implements Cached<V> {}

  /**
   * A load the store failed, for each of its keys: never kept, and turned back into a failed
   * future by {@link #getAll} before any caller sees it.
   */
  private record LoadFailed<V>(Throwable error) implements Cached<V> {}

  private final KvCodec<V> codec;
  private final AsyncCache<String, Cached<V>> cache;
  private final long maxLifeNanos;
  private final long negativeNanos;
  private final Clock clock;
  private final Runnable onEviction;
  /** Whether invalidations cannot be heard, so nothing read is kept; set by pause and resume. */
  private volatile boolean paused;
  /** Incremented by every pause and resume (under this object's lock). */
  private volatile long epoch;
  /** The least an entry weighs: {@code maximumBytes / maximumSize}, rounded up. */
  private final long slotBytes;
  private final LocalWrites writes;

  NearCache(NearCacheOptions options, KvCodec<V> codec, Clock clock, Runnable onEviction,
      LocalWrites writes) {
    this.codec = codec;
    this.writes = writes;
    this.clock = clock;
    this.onEviction = onEviction;
    this.maxLifeNanos = options.expireAfterWrite().toNanos();
    this.negativeNanos = options.negativeTtl().toNanos();
    this.slotBytes = Math.max(1, -Math.floorDiv(-options.maximumBytes(), options.maximumSize()));
    this.cache = Caffeine.newBuilder()
        .maximumWeight(options.maximumBytes())
        .weigher((String key, Cached<V> value) -> weight(value))
        .executor(Runnable::run)
        .evictionListener((key, value, cause) -> onEviction.run())
        .buildAsync();
  }

  /**
   * Two bounds on one Caffeine weight: an entry weighs its encoded size, but never less than
   * {@link #slotBytes}. The total weight stays under {@code maximumBytes}, so the encoded sizes
   * do, and so does the count times the slot, which keeps the count under {@code maximumSize}.
   * The price: a mix of small and large values may be evicted a little before either bound alone
   * would have done it.
   */
  private int weight(Cached<V> value) {
    long bytes = value instanceof Hit<V> hit ? hit.bytes() : 0;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(slotBytes, bytes));
  }

  KvCodec<V> codec() {
    return codec;
  }

  boolean cachesMissingKeys() {
    return negativeNanos > 0;
  }

  /**
   * The cache's clock, read once per call and handed to {@link #getIfReady}: the store's clock
   * in nanoseconds, at its millisecond resolution.
   *
   * @return the time to check deadlines against
   */
  long now() {
    return TimeUnit.MILLISECONDS.toNanos(clock.millis());
  }

  /**
   * A hit that lives until the key's expiration in the store, at most {@code maxLife}; not
   * kept at all if the cache was paused or resumed since the value was read, or if a write of
   * the key by this instance was in flight or happened meanwhile ({@link LocalWrites#unwritten}).
   *
   * @param key the key
   * @param bytes the encoded size of the value
   * @param readEpoch {@link #epoch()} when the read began
   * @param stamp the key's {@link LocalWrites#stamp} when the read began
   */
  Hit<V> hit(String key, V value, Instant expiration, int bytes, long readEpoch, long stamp) {
    Instant instant = clock.instant();
    long now = TimeUnit.MILLISECONDS.toNanos(instant.toEpochMilli());
    if (readEpoch != epoch || !writes.unwritten(key, stamp)) {
      // Nobody may tell of a change (a pause), or the value may be older than a write this
      // instance has made or is making: waiters get it, the cache does not keep it.
      return new Hit<>(new KvResult.Found<>(value), now, bytes);
    }
    long life = maxLifeNanos;
    if (expiration != null) {
      life = Math.min(life, Math.max(0,
          Duration.between(instant, expiration).toNanos()));
    }
    return new Hit<>(new KvResult.Found<>(value), now + life, bytes);
  }

  /**
   * The namespace's writes by this instance, which say whether a load may keep what it read.
   *
   * @return the bracket every write of the namespace goes through
   */
  LocalWrites writes() {
    return writes;
  }

  /**
   * A known-missing key, remembered for {@code negativeTtl}; null (nothing kept) if a write of
   * the key by this instance may have come since {@code stamp}.
   *
   * @param key the key
   * @param stamp the key's {@link LocalWrites#stamp} when the read began
   * @param readEpoch {@link #epoch()} when the read began
   */
  Absent<V> absent(String key, long stamp, long readEpoch) {
    return readEpoch == epoch && writes.unwritten(key, stamp) ? new Absent<>(now() + negativeNanos)
        : null;
  }

  /**
   * Returns the entry of a key if the cache holds it, loaded and live: the hit path, with no
   * future and no bulk-load machinery. Counts as a read for eviction, as a lookup through
   * {@link #getAll}. An expired entry is removed (counted as an eviction) and reads as absent.
   *
   * @param key the key
   * @param now the time of the call ({@link #now()})
   * @return the entry, or null when absent, expired or still loading
   */
  Cached<V> getIfReady(String key, long now) {
    CompletableFuture<Cached<V>> future = cache.getIfPresent(key);
    if (future == null || !future.isDone() || future.isCompletedExceptionally()) {
      return null;
    }
    // A bulk load completes the entry of a key it did not find with null before removing it.
    Cached<V> entry = future.join();
    if (entry == null || entry.liveAt(now)) {
      return entry;
    }
    if (cache.asMap().remove(key, future)) {
      onEviction.run();
    }
    return null;
  }

  /**
   * Returns the cached or loaded entries of {@code keys}; absent from the map when missing.
   *
   * @param loader loads the keys not cached and not being loaded, in one batch
   * @return the entries; fails as the store failed when a load of one of the keys failed
   */
  CompletableFuture<Map<String, Cached<V>>> getAll(List<String> keys,
      Function<List<String>, CompletableFuture<Map<String, Cached<V>>>> loader) {
    return loadAll(keys, loader).thenApply(entries -> {
      long now = now();
      for (Map.Entry<String, Cached<V>> entry : entries.entrySet()) {
        if (!entry.getValue().liveAt(now)) {
          forget(entry.getKey(), entry.getValue());
        }
      }
      for (Cached<V> entry : entries.values()) {
        if (entry instanceof LoadFailed<V> failed) {
          throw failed.error() instanceof RuntimeException e ? e
              : new CompletionException(failed.error());
        }
      }
      return entries;
    });
  }

  /**
   * Removes what a load handed its waiters but the cache must not keep (a failure, a value read
   * across a pause, a life of zero), if the cache still holds that very entry.
   */
  private void forget(String key, Cached<V> loaded) {
    CompletableFuture<Cached<V>> future = cache.getIfPresent(key);
    if (future != null && future.isDone() && !future.isCompletedExceptionally()
        && future.join() == loaded) {
      cache.asMap().remove(key, future);
    }
  }

  private CompletableFuture<Map<String, Cached<V>>> loadAll(List<String> keys,
      Function<List<String>, CompletableFuture<Map<String, Cached<V>>>> loader) {
    return cache.getAll(keys, (missing, executor) -> {
      List<String> batch = List.copyOf(missing);
      CompletableFuture<Map<String, Cached<V>>> loading;
      try {
        loading = loader.apply(batch);
      } catch (RuntimeException e) {
        loading = CompletableFuture.failedFuture(e);
      }
      return loading.exceptionally(error -> failedAll(batch, error));
    });
  }

  private static <V> Map<String, Cached<V>> failedAll(List<String> keys, Throwable error) {
    LoadFailed<V> failed = new LoadFailed<>(Failures.cause(error));
    Map<String, Cached<V>> entries = new HashMap<>(keys.size() * 2);
    for (String key : keys) {
      entries.put(key, failed);
    }
    return entries;
  }

  void invalidate(Collection<String> keys) {
    cache.synchronous().invalidateAll(keys);
  }

  void invalidateAll() {
    cache.synchronous().invalidateAll();
  }

  /**
   * Whether reads bypass the cache: invalidations cannot be heard (see {@link #pause()}).
   *
   * @return true while paused
   */
  boolean paused() {
    return paused;
  }

  /**
   * Counts pauses and resumes: a read that began in another epoch is not kept.
   *
   * @return the current epoch
   */
  long epoch() {
    return epoch;
  }

  /**
   * Stops keeping values while invalidations cannot be heard: drops everything, loads in flight
   * included (Caffeine never puts a removed load back), and reads go to the store until
   * {@link #resume()}.
   */
  synchronized void pause() {
    paused = true;
    epoch++;
    invalidateAll();
  }

  /** Keeps values again, from empty: invalidations are heard again. */
  synchronized void resume() {
    paused = false;
    epoch++;
    invalidateAll();
  }
}
