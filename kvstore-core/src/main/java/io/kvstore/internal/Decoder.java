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
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;

/**
 * Decides where a read's values are decoded ({@link DecodeOptions}): small reads on the thread
 * that completed them, large ones on the executor in parallel slices, so an I/O thread never
 * spends tens of milliseconds in a codec while other replies wait on its connection.
 */
final class Decoder {
  private static final int PARALLELISM = Runtime.getRuntime().availableProcessors();

  private final Executor given;
  private final int inlineBytes;
  private final long yieldNanos;
  private ExecutorService own; // guarded by this
  private boolean closed; // guarded by this

  Decoder(DecodeOptions options) {
    this.given = options.executor().orElse(null);
    this.inlineBytes = options.inlineBytes();
    this.yieldNanos = options.yieldInterval().toNanos();
  }

  /**
   * Decodes {@code size} items: {@code decodeAt(i)} for each, inline when their bytes total at
   * most the inline threshold, else in slices on the executor.
   *
   * @param size how many items
   * @param bytesAt the encoded size of item {@code i} (0 for an absent value)
   * @param decodeAt decodes item {@code i}; must not throw for a bad value (return a failure)
   * @return the decoded items, in order
   */
  CompletableFuture<List<Object>> decode(int size, IntToLongFunction bytesAt,
      IntFunction<?> decodeAt) {
    long total = 0;
    for (int i = 0; i < size; i++) {
      total += bytesAt.applyAsLong(i);
    }
    Object[] out = new Object[size];
    if (total == 0 || total <= inlineBytes) {
      try {
        decodeRange(out, 0, size, decodeAt);
        return CompletableFuture.completedFuture(Arrays.asList(out));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    int slices = (int) Math.min(Math.min(PARALLELISM, size),
        Math.max(1, total / Math.max(1, inlineBytes)));
    Executor executor = executor();
    CompletableFuture<?>[] parts = new CompletableFuture<?>[slices];
    for (int s = 0; s < slices; s++) {
      int from = (int) ((long) s * size / slices);
      int to = (int) ((long) (s + 1) * size / slices);
      CompletableFuture<Void> part = new CompletableFuture<>();
      Runnable task = () -> {
        try {
          decodeGivingWay(out, from, to, decodeAt);
          part.complete(null);
        } catch (RuntimeException | Error e) {
          part.completeExceptionally(e);
        }
      };
      try {
        executor.execute(task);
      } catch (RejectedExecutionException e) {
        task.run();
      }
      parts[s] = part;
    }
    return CompletableFuture.allOf(parts).thenApply(done -> Arrays.asList(out));
  }

  /**
   * Decodes a slice, yielding the core every {@link #yieldNanos}: a thread woken for a small
   * call then waits for a core about that long, not a scheduler slice (see
   * {@link DecodeOptions}). A clock reading per value costs some 20 ns against microseconds of
   * decoding.
   */
  private void decodeGivingWay(Object[] out, int from, int to, IntFunction<?> decodeAt) {
    if (yieldNanos == 0) {
      decodeRange(out, from, to, decodeAt);
      return;
    }
    long since = System.nanoTime();
    for (int i = from; i < to; i++) {
      out[i] = decodeAt.apply(i);
      if (System.nanoTime() - since >= yieldNanos) {
        Thread.yield();
        since = System.nanoTime();
      }
    }
  }

  private static void decodeRange(Object[] out, int from, int to, IntFunction<?> decodeAt) {
    for (int i = from; i < to; i++) {
      out[i] = decodeAt.apply(i);
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
