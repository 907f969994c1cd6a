package io.kvstore.testing;

import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.KvTimeoutException;
import io.kvstore.KvUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counter half of issue 30's no-lost-update check: {@link #THREADS} threads each run
 * {@link #INCREMENTS_PER_THREAD} {@code increment}s of one counter. Shared by every store's
 * test; callers assert on the counts, never on time.
 */
public final class ConcurrentCounters {
  /** Threads incrementing at once. */
  public static final int THREADS = 8;

  /** Increments per thread. */
  public static final int INCREMENTS_PER_THREAD = 500;

  /** How long a thread pauses after a failed increment, when failures are counted. */
  private static final long FAILURE_PAUSE_MILLIS = 20;

  /** What the counter ends at when every increment was applied once. */
  public static final long EXPECTED = (long) THREADS * INCREMENTS_PER_THREAD;

  /**
   * What a run did: increments that succeeded, and those that failed with an outcome the store
   * could not tell (applied or not).
   *
   * @param applied increments whose call succeeded
   * @param unknown increments that failed with an unknown outcome
   * @param failed increments that failed otherwise (not applied)
   */
  public record Run(long applied, long unknown, long failed) {}

  private ConcurrentCounters() {}

  /**
   * Runs the increments of key {@code key}; any failure fails the run.
   *
   * @param ns a namespace of counters
   * @param key the counter
   * @throws Exception if an increment failed
   */
  public static void increment(KvNamespace<Long> ns, String key) throws Exception {
    run(ns, key, false, () -> {});
  }

  /**
   * Runs the increments of key {@code key}, counting failures instead of stopping at the first,
   * and calls {@code midway} on its own thread once half of them are done (to restart a
   * server, for example).
   *
   * @param ns a namespace of counters
   * @param key the counter
   * @param midway what to do halfway through
   * @return the counts
   * @throws Exception if a thread or {@code midway} failed
   */
  public static Run incrementThrough(KvNamespace<Long> ns, String key, Callback midway)
      throws Exception {
    return run(ns, key, true, midway);
  }

  /** Something to do during a run. */
  @FunctionalInterface
  public interface Callback {
    /**
     * Does it.
     *
     * @throws Exception if it failed
     */
    void run() throws Exception;
  }

  private static Run run(KvNamespace<Long> ns, String key, boolean countFailures,
      Callback midway) throws Exception {
    AtomicLong done = new AtomicLong();
    AtomicLong applied = new AtomicLong();
    AtomicLong unknown = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS + 1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        futures.add(threads.submit(() -> {
          for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
            try {
              ns.blocking().increment(key, 1);
              applied.incrementAndGet();
            } catch (KvException e) {
              if (!countFailures) {
                throw e;
              }
              (outcomeUnknown(e) ? unknown : failed).incrementAndGet();
              Thread.sleep(FAILURE_PAUSE_MILLIS);   // as a client backs off while it is down
            } finally {
              done.incrementAndGet();
            }
          }
          return null;
        }));
      }
      futures.add(threads.submit(() -> {
        while (done.get() < EXPECTED / 2) {
          Thread.sleep(1);
        }
        midway.run();
        return null;
      }));
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    return new Run(applied.get(), unknown.get(), failed.get());
  }

  /**
   * Whether a failed increment may have been applied: a timeout that says so, or a lost
   * connection unless
   * the store says nothing was sent (an error reply such as {@code LOADING} means the script did
   * not run). The "nothing was sent" is read from the message: the adapter says it only there.
   */
  private static boolean outcomeUnknown(KvException e) {
    if (e instanceof KvTimeoutException timeout) {
      return timeout.outcomeUnknown();
    }
    return e instanceof KvUnavailableException u && u.replyKind().isEmpty()
        && (e.getMessage() == null || !e.getMessage().contains("nothing was sent"));
  }
}
