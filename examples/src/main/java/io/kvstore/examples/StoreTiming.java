package io.kvstore.examples;

import io.kvstore.KvEvent;
import io.kvstore.KvListener;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What the store did for one HTTP request, from kvstore's own accounting: the {@link KvEvent}s of
 * the request's operations (round trips, duration, near-cache hits), summed and sent back as a
 * standard {@code Server-Timing} header. Registered once as a store listener; thread-safe.
 *
 * <p><b>Which events belong to which request.</b> Events carry no request identity, and many
 * requests share the store at once, so neither {@code store.stats()} deltas nor
 * {@code KvRoundTrips} (which counts whatever completes meanwhile) can be scoped to a request.
 * What makes it exact is where kvstore calls listeners: on the thread that completes the
 * operation, immediately before it completes the caller's future there. So:
 * <ul>
 *   <li>{@link #track} marks the calling thread with the request's {@link Cost} while it starts
 *       the operation and attaches its own stage. An operation that completes synchronously
 *       (embedded store without latency, a near-cache hit) reports on that marked thread, and
 *       {@link #onOperation} adds the event to the marked cost.
 *   <li>An operation that completes later reports on another thread (an I/O or timer thread), which
 *       then runs the stages attached to the future: the listener leaves the event in that
 *       thread's one-slot mailbox, and the request's stage, running right after on the same
 *       thread, takes it.
 *   <li>The one gap: the operation completes on another thread after the call returned but
 *       before {@link #track} attached its stage (the caller was descheduled in between). The stage
 *       then runs on the caller and finds neither; the cost counts the operation as
 *       {@link Cost#unattributed() unattributed} rather than guess.
 * </ul>
 * A start callback on the listener (planned for tracing) would carry the request through the
 * operation itself and close that gap.
 */
final class StoreTiming implements KvListener {
  private static final ThreadLocal<Cost> STARTING = new ThreadLocal<>();
  private static final ThreadLocal<KvEvent> MAILBOX = new ThreadLocal<>();

  @Override
  public void onOperation(KvEvent event) {
    Cost starting = STARTING.get();
    if (starting != null) {
      starting.add(event);
    } else {
      MAILBOX.set(event);
    }
  }

  /**
   * Starts one store operation on behalf of a request and adds its event to the request's cost
   * before any stage attached to the returned future runs.
   *
   * @param cost the request's cost
   * @param call starts the operation, such as {@code () -> namespace.getAll(keys)}
   * @param <T> the operation's result
   * @return a future that completes as the operation's does, after its event was added
   */
  static <T> CompletableFuture<T> track(Cost cost, Supplier<CompletableFuture<T>> call) {
    Cost outer = STARTING.get();
    STARTING.set(cost);
    try {
      int before = cost.operations();
      CompletableFuture<T> operation = call.get();
      return operation.whenComplete((value, error) -> {
        if (STARTING.get() == cost) {
          // Completed before the stage was attached: reported here, or lost in the gap.
          if (cost.operations() == before) {
            cost.unattributed();
          }
        } else {
          KvEvent event = MAILBOX.get();
          MAILBOX.remove();
          if (event == null) {
            cost.unattributed();
          } else {
            cost.add(event);
          }
        }
      });
    } finally {
      if (outer == null) {
        STARTING.remove();
      } else {
        STARTING.set(outer);
      }
    }
  }

  /**
   * The store work of one request, added up as its operations complete. Thread-safe.
   */
  static final class Cost {
    private final long startNanos = System.nanoTime();
    private int operations;
    private int unattributed;
    private long roundTrips;
    private long storeNanos;
    private long nearCacheHits;
    private long nearCacheMisses;

    synchronized void add(KvEvent event) {
      operations++;
      roundTrips += event.roundTrips();
      storeNanos += event.duration().toNanos();
      nearCacheHits += event.nearCacheHits();
      nearCacheMisses += event.nearCacheMisses();
    }

    synchronized void unattributed() {
      operations++;
      unattributed++;
    }

    synchronized int operations() {
      return operations;
    }

    synchronized long roundTrips() {
      return roundTrips;
    }

    /**
     * Returns the {@code Server-Timing} value: the store's time and round trips, near-cache hits
     * and misses, and the whole request's time so far, such as
     * {@code store;dur=21.3;desc="1 operation", store-rt;desc="1", nc-hit;desc="0",
     * nc-miss;desc="64", app;dur=23.9}. An operation whose event could not be attributed shows
     * as {@code store-unknown}.
     *
     * @return the header value
     */
    synchronized String serverTiming() {
      double appMillis = (System.nanoTime() - startNanos) / 1e6;
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
          "store;dur=%.1f;desc=\"%d %s\", store-rt;desc=\"%d\"", storeNanos / 1e6, operations,
          operations == 1 ? "operation" : "operations", roundTrips));
      if (nearCacheHits + nearCacheMisses > 0) {
        b.append(", nc-hit;desc=\"").append(nearCacheHits)
            .append("\", nc-miss;desc=\"").append(nearCacheMisses).append('"');
      }
      if (unattributed > 0) {
        b.append(", store-unknown;desc=\"").append(unattributed).append('"');
      }
      return b.append(String.format(Locale.ROOT, ", app;dur=%.1f", appMillis)).toString();
    }
  }
}
