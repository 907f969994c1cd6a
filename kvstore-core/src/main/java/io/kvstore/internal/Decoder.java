package io.kvstore.internal;

import io.kvstore.DecodeOptions;
import io.kvstore.spi.DaemonThreads;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;

/**
 * Decides where a read's values are decoded ({@link DecodeOptions}): small reads on the thread
 * that completed them; larger ones by that thread and the executor together, value by value;
 * large ones on the executor alone, so an I/O thread never spends tens of milliseconds in a
 * codec while other replies wait on its connection.
 */
final class Decoder {
  private static final int PARALLELISM = Runtime.getRuntime().availableProcessors();

  private final Executor given;
  private final int inlineBytes;
  private final int parallelBytes;
  private final long yieldNanos;
  private ExecutorService own; // guarded by this
  private boolean closed; // guarded by this

  Decoder(DecodeOptions options) {
    this.given = options.executor().orElse(null);
    this.inlineBytes = options.inlineBytes();
    this.parallelBytes = options.parallelBytes();
    this.yieldNanos = options.yieldInterval().toNanos();
  }

  /**
   * Decodes {@code size} items, {@code decodeAt(i)} for each: all on the calling thread when
   * their bytes total at most the parallel threshold and the inline one; shared between it and
   * the executor when they total at most the inline threshold; else on the executor alone.
   *
   * @param size how many items
   * @param bytesAt the encoded size of item {@code i} (0 for an absent value)
   * @param decodeAt decodes item {@code i} to a non-null result, without side effects (an item
   *     may be decoded twice); must not throw for a bad value (return a failure)
   * @return the decoded items, in order
   */
  CompletableFuture<List<Object>> decode(int size, IntToLongFunction bytesAt,
      IntFunction<?> decodeAt) {
    long total = 0;
    for (int i = 0; i < size; i++) {
      total += bytesAt.applyAsLong(i);
    }
    boolean inline = total <= inlineBytes;
    int threads = total == 0 || total <= parallelBytes ? 1 : (int) Math.max(1,
        Math.min(Math.min(PARALLELISM, size), total / Math.max(1, parallelBytes / 2)));
    if (inline && threads == 1) {
      Object[] out = new Object[size];
      try {
        for (int i = 0; i < size; i++) {
          out[i] = decodeAt.apply(i);
        }
        return CompletableFuture.completedFuture(Arrays.asList(out));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    // Shared with the calling thread: value by value, so it never waits for a late helper. On
    // the pool alone: one contiguous slice per thread, as cheap to hand out as it gets.
    SharedDecode shared = new SharedDecode(size, inline ? 1 : (size + threads - 1) / threads,
        decodeAt);
    Executor executor = executor();
    // The calling thread, when it takes part, is one of the decoders; the pool sends the rest.
    for (int h = inline ? 1 : 0; h < threads; h++) {
      try {
        executor.execute(() -> shared.run(yieldNanos));
      } catch (RejectedExecutionException e) {
        shared.run(0);
      }
    }
    if (inline) {
      shared.run(0);
    }
    return shared.result;
  }

  /**
   * One read's values, taken a slice at a time by whichever thread asks next, so a helper that
   * starts late (a busy pool) only takes what is left. Shared with the calling thread, slices are
   * single values and the calling thread never waits for a helper: at worst it decodes everything
   * itself, and once nothing is left to take it decodes again any value still being decoded
   * elsewhere, so a helper descheduled mid-value (a scheduler slice, milliseconds) never holds
   * the read up; the first result stored wins. The thread that stores the last value completes
   * the read.
   */
  private static final class SharedDecode {
    final CompletableFuture<List<Object>> result = new CompletableFuture<>();
    private final AtomicReferenceArray<Object> out;
    private final int slice;
    private final IntFunction<?> decodeAt;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger stored = new AtomicInteger();

    SharedDecode(int size, int slice, IntFunction<?> decodeAt) {
      this.out = new AtomicReferenceArray<>(size);
      this.slice = slice;
      this.decodeAt = decodeAt;
    }

    /**
     * Decodes slices until none is left, yielding the core every {@code yieldNanos} (0: never):
     * a thread woken for a small call then waits for a core about that long, not a scheduler
     * slice (see {@link DecodeOptions}). A clock reading per value costs some 20 ns against
     * microseconds of decoding.
     */
    void run(long yieldNanos) {
      int size = out.length();
      int mine = 0;
      long since = yieldNanos == 0 ? 0 : System.nanoTime();
      try {
        for (int from; (from = next.getAndAdd(slice)) < size; ) {
          for (int i = from, to = Math.min(size, from + slice); i < to; i++) {
            mine += store(i);
            if (yieldNanos != 0 && System.nanoTime() - since >= yieldNanos) {
              Thread.yield();
              since = System.nanoTime();
            }
          }
        }
        if (slice == 1) {
          for (int i = 0; i < size; i++) {
            if (out.get(i) == null) {
              mine += store(i);
            }
          }
        }
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
        return;
      }
      if (mine > 0 && stored.addAndGet(mine) == size) {
        Object[] values = new Object[size];
        for (int i = 0; i < size; i++) {
          values[i] = out.get(i);
        }
        result.complete(Arrays.asList(values));
      }
    }

    private int store(int i) {
      return out.compareAndSet(i, null, decodeAt.apply(i)) ? 1 : 0;
    }
  }

  /**
   * The given executor, or the store's own pool, started on first use. Besides large decodes it
   * runs what must never run on an I/O thread: the functions of {@code update}.
   */
  synchronized Executor executor() {
    if (given != null) {
      // A shut-down pool may drop tasks without a word (CallerRunsPolicy does once shut down).
      return given instanceof ExecutorService service && service.isShutdown() ? Runnable::run
          : given;
    }
    if (closed) {
      return Runnable::run;
    }
    if (own == null) {
      own = new ThreadPoolExecutor(PARALLELISM, PARALLELISM, 0, TimeUnit.MILLISECONDS,
          new LinkedBlockingQueue<>(), DaemonThreads.named("kvstore-decode"));
    }
    return own;
  }

  /** Shuts down the pool this store started, never an executor it was given. */
  synchronized void close() {
    closed = true;
    if (own != null) {
      own.shutdown();
    }
  }
}
