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
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Decides where a read's values are decoded ({@link DecodeOptions}): small reads on the thread
 * that completed them, large ones on the executor in parallel slices, so an I/O thread never
 * spends tens of milliseconds in a codec while other replies wait on its connection. A small read
 * a caller of the blocking API waits for is shared with that caller ({@link WaitingCaller}).
 */
final class Decoder {
  private static final int PARALLELISM = Runtime.getRuntime().availableProcessors();
  /**
   * The least a read decoded inline must weigh to share it with a waiting caller: below it, the
   * caller's wake-up outlasts the half it would take.
   */
  static final int SHARE_MIN_BYTES = 8 * 1024;

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
   * most the inline threshold (shared with a waiting caller from {@link #SHARE_MIN_BYTES}), else
   * in slices on the executor.
   *
   * @param size how many items
   * @param bytesAt the encoded size of item {@code i} (0 for an absent value)
   * @param decodeAt decodes item {@code i}; must not throw for a bad value (return a failure)
   * @param caller the blocking caller waiting for the read, if any: it may decode a part
   * @return the decoded items, in order
   */
  CompletableFuture<List<Object>> decode(int size, IntToLongFunction bytesAt,
      IntFunction<?> decodeAt, @Nullable WaitingCaller caller) {
    long total = 0;
    for (int i = 0; i < size; i++) {
      total += bytesAt.applyAsLong(i);
    }
    Object[] out = new Object[size];
    if (total == 0 || total <= inlineBytes) {
      if (caller != null && total >= SHARE_MIN_BYTES && size > 1 && !caller.isCurrentThread()) {
        return decodeSharing(out, decodeAt, caller);
      }
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
   * Decodes the first half here and offers the second to the waiting caller, taking it back if
   * the caller has not started it by then; whichever thread finishes last completes the result
   * (the counter's update orders the other thread's writes to {@code out} before the read).
   */
  private static CompletableFuture<List<Object>> decodeSharing(Object[] out,
      IntFunction<?> decodeAt, WaitingCaller caller) {
    CompletableFuture<List<Object>> done = new CompletableFuture<>();
    AtomicInteger unfinished = new AtomicInteger(2);
    int half = out.length / 2;
    WaitingCaller.Part second = new WaitingCaller.Part() {
      @Override
      void run() {
        decodePart(out, half, out.length, decodeAt, unfinished, done);
      }
    };
    caller.offer(second);
    decodePart(out, 0, half, decodeAt, unfinished, done);
    second.runIfUnclaimed();
    return done;
  }

  private static void decodePart(Object[] out, int from, int to, IntFunction<?> decodeAt,
      AtomicInteger unfinished, CompletableFuture<List<Object>> done) {
    try {
      decodeRange(out, from, to, decodeAt);
    } catch (RuntimeException | Error e) {
      done.completeExceptionally(e);
      return;
    }
    if (unfinished.decrementAndGet() == 0) {
      done.complete(Arrays.asList(out));
    }
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
