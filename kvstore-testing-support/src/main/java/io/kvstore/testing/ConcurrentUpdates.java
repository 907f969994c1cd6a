package io.kvstore.testing;

import io.kvstore.KvNamespace;
import io.kvstore.UpdateOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The no-lost-update check of issue 30, shared by every store's test: {@link #THREADS} threads
 * each run {@link #UPDATES_PER_THREAD} {@code update}s that increment one decimal record. The
 * contention is deliberate, so the attempts are raised far above the default; callers assert on
 * the final value only, never on time.
 */
public final class ConcurrentUpdates {
  /** Threads updating at once. */
  public static final int THREADS = 8;

  /** Updates per thread. */
  public static final int UPDATES_PER_THREAD = 500;

  /** What the record ends at when no update was lost. */
  public static final String EXPECTED = Long.toString((long) THREADS * UPDATES_PER_THREAD);

  private ConcurrentUpdates() {}

  /**
   * Runs the increments of key {@code n} and returns its final value.
   *
   * @param ns a namespace of UTF-8 strings
   * @return the record after every update
   * @throws Exception if an update failed
   */
  public static Optional<String> increment(KvNamespace<String> ns) throws Exception {
    UpdateOptions options = UpdateOptions.builder().maxAttempts(1000)
        .backoff(Duration.ZERO, Duration.ofMillis(5)).build();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        done.add(threads.submit(() -> {
          for (int i = 0; i < UPDATES_PER_THREAD; i++) {
            ns.blocking().update("n", current -> Optional.of(
                Long.toString(current.map(Long::parseLong).orElse(0L) + 1)), options);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    return ns.blocking().get("n");
  }
}
