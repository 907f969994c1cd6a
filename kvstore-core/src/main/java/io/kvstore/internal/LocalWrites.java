package io.kvstore.internal;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * This instance's writes of one namespace, as its near caches must know them: one per namespace
 * name, shared by every view and near cache of it, so a write through any view brackets every
 * cache, one opened while the write is in flight included.
 *
 * <p>A write's keys are dropped from the near caches before it is sent and again when it
 * completes, and a load keeps what it read only if no write of its keys began, ended or was in
 * flight since it began ({@link #unwritten}). Dropping alone left a gap: a read that began after
 * the first drop could load the old value before the store applied the write and cache it, and
 * another reader could be served that old value after a third had already read the new one from
 * the store (a linearizability checker found it).
 *
 * <p>The bookkeeping is striped by key hash (12 KiB per namespace): keys that share a stripe only
 * keep fewer loads while writes are in flight.
 */
final class LocalWrites {
  private static final int STRIPES = 1024;

  /** Writes in flight, per stripe of keys. */
  private final AtomicIntegerArray writing = new AtomicIntegerArray(STRIPES);
  /** Per stripe, how many writes began or ended: a load's stamp. */
  private final AtomicLongArray events = new AtomicLongArray(STRIPES);
  private final Consumer<Collection<String>> drop;

  /**
   * @param drop drops keys from every near cache of the namespace
   */
  LocalWrites(Consumer<Collection<String>> drop) {
    this.drop = drop;
  }

  /**
   * Runs a write bracketed: its keys are dropped before it is sent and again when it completes,
   * before the caller's future does, whatever the outcome.
   *
   * @param keys the keys written
   * @param write sends the write
   * @return the write's outcome
   */
  <T> CompletableFuture<T> around(Collection<String> keys, Supplier<CompletableFuture<T>> write) {
    mark(keys, 1);
    CompletableFuture<T> written;
    try {
      written = write.get();
    } catch (RuntimeException e) {
      mark(keys, -1);
      throw e;
    }
    return written.whenComplete((result, error) -> mark(keys, -1));
  }

  /**
   * Counts a write's beginning ({@code +1}) or end ({@code -1}), then drops its keys. The event
   * is counted before the in-flight count falls: a load stamped during the write must never see
   * its stripe idle with the stamp it took.
   */
  private void mark(Collection<String> keys, int delta) {
    for (String key : keys) {
      int stripe = stripe(key);
      events.incrementAndGet(stripe);
      writing.addAndGet(stripe, delta);
    }
    drop.accept(keys);
  }

  /**
   * The key's stamp, taken before a load reads the store.
   *
   * @param key the key
   * @return what {@link #unwritten} compares with
   */
  long stamp(String key) {
    return events.get(stripe(key));
  }

  /**
   * Whether no write of the key began, ended or is in flight since {@code stamp} was taken: then
   * a value read since is not older than any of them.
   *
   * @param key the key
   * @param stamp the key's {@link #stamp} when the load began
   * @return true if the load may keep what it read
   */
  boolean unwritten(String key, long stamp) {
    int stripe = stripe(key);
    return writing.get(stripe) == 0 && events.get(stripe) == stamp;
  }

  private static int stripe(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }
}
