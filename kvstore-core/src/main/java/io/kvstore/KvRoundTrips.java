package io.kvstore;

import io.kvstore.internal.Engine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Round-trip accounting for tests: say "listing 64 workouts takes at most 2 round trips" and have
 * a test fail when a loop of single reads creeps back in. Counts come from the store's own
 * bookkeeping, so they do not flake with timing.
 *
 * <pre>{@code
 * long trips = KvRoundTrips.count(store, () -> service.completedWorkouts("user-42"));
 * KvRoundTrips.assertAtMost(store, 2, () -> service.completedWorkouts("user-42"));
 * // fails with: expected at most 2 round trips, but the block made 64:
 * //   64 x get on namespace 'workout' (64 round trips); batch single reads with getAll ...
 * Recording r = KvRoundTrips.record(store, () -> service.completedWorkouts("user-42"));
 * }</pre>
 *
 * <p>In JUnit 5, {@code @MaxRoundTrips} from the {@code kvstore-testkit} module checks a whole
 * test body with a {@link Recorder}.
 *
 * <p>What is counted is every operation on the store that completes while the block runs, from
 * any thread: wait for the block's futures inside the block, and keep other work off the store
 * meanwhile. Thread-safe.
 */
public final class KvRoundTrips {
  private KvRoundTrips() {}

  /**
   * Runs a block and returns the round trips the store made meanwhile. Works with any
   * {@link KvStore}: it compares {@link KvStore#stats()} before and after.
   *
   * @param store the store to watch
   * @param block the code to run; it should wait for its own futures
   * @return the round trips made while the block ran
   */
  public static long count(KvStore store, Runnable block) {
    KvStats before = store.stats();
    block.run();
    return store.stats().minus(before).roundTrips();
  }

  /**
   * Runs a block and returns every operation the store completed meanwhile.
   *
   * @param store the store to watch
   * @param block the code to run; it should wait for its own futures
   * @return the operations and their round trips
   * @throws KvValidationException if an argument is null
   */
  public static Recording record(KvStore store, Runnable block) {
    if (block == null) {
      throw new KvValidationException("block", "block must not be null");
    }
    Recorder recorder = Recorder.start(store);
    try {
      block.run();
    } finally {
      recorder.stop();
    }
    return recorder.recording();
  }

  /**
   * Runs a block and fails if it made more round trips than allowed, naming the operations it
   * made.
   *
   * @param store the store to watch
   * @param budget the most round trips the block may make
   * @param block the code to run; it should wait for its own futures
   * @return the round trips made
   * @throws AssertionError if the block made more than {@code budget} round trips
   * @throws KvValidationException if an argument is null
   */
  public static long assertAtMost(KvStore store, long budget, Runnable block) {
    Recording recording = record(store, block);
    if (recording.roundTrips() > budget) {
      throw new AssertionError(overBudget(budget, recording));
    }
    return recording.roundTrips();
  }

  /**
   * Returns the failure message of a recording over its budget, the one {@link #assertAtMost}
   * throws, so that test tools report budgets the same way.
   *
   * @param budget the most round trips allowed
   * @param recording what the block made
   * @return the message, naming the operations and the fix for single reads in a row
   */
  public static String overBudget(long budget, Recording recording) {
    String message = "expected at most " + budget + " round trips, but the block made "
        + recording.roundTrips() + ": " + recording.summary();
    long gets = recording.operations().stream()
        .filter(e -> e.operation() == KvOperation.GET).count();
    return gets > 1 ? message + "; batch single reads with getAll or listValues (gets awaited one"
        + " at a time cannot be coalesced)" : message;
  }

  /**
   * The operations a block made, in the order they completed.
   *
   * @param operations one event per operation, as a {@link KvListener} sees it
   */
  public record Recording(List<KvEvent> operations) {
    /**
     * Copies the events.
     *
     * @param operations one event per operation, as a {@link KvListener} sees it
     */
    public Recording {
      operations = List.copyOf(operations);
    }

    /**
     * Returns the round trips of all operations.
     *
     * @return the sum of {@link KvEvent#roundTrips()}
     */
    public long roundTrips() {
      return operations.stream().mapToLong(KvEvent::roundTrips).sum();
    }

    /**
     * Summarises the operations by kind and namespace, the costliest first, such as
     * {@code "64 x get on namespace 'workout' (64 round trips), 1 x getAll on namespace 'plan'
     * (1 round trip)"}. Never contains keys or values.
     *
     * @return the summary, {@code "no operations"} when there were none
     */
    public String summary() {
      if (operations.isEmpty()) {
        return "no operations";
      }
      Map<String, long[]> byKind = new LinkedHashMap<>();
      for (KvEvent e : operations) {
        long[] countAndTrips = byKind.computeIfAbsent(
            Engine.describe(e.operation(), e.namespace()), k -> new long[2]);
        countAndTrips[0]++;
        countAndTrips[1] += e.roundTrips();
      }
      List<Map.Entry<String, long[]>> kinds = new ArrayList<>(byKind.entrySet());
      kinds.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
      StringBuilder b = new StringBuilder();
      for (Map.Entry<String, long[]> kind : kinds) {
        long trips = kind.getValue()[1];
        b.append(b.length() == 0 ? "" : ", ").append(kind.getValue()[0]).append(" x ")
            .append(kind.getKey()).append(" (").append(trips)
            .append(trips == 1 ? " round trip)" : " round trips)");
      }
      return b.toString();
    }
  }

  /**
   * Collects a store's events between {@link #start} and {@link #stop}: for test tools whose
   * start and end of a block are two calls, such as a JUnit extension's before and after
   * callbacks. Thread-safe.
   */
  public static final class Recorder {
    private final List<KvEvent> events = new CopyOnWriteArrayList<>();
    private final KvStore.Subscription subscription;

    private Recorder(KvStore store) {
      subscription = store.listen(KvListener.of(events::add));
    }

    /**
     * Starts recording a store's operations.
     *
     * @param store the store to watch
     * @return the running recorder
     * @throws KvValidationException if the store is null
     */
    public static Recorder start(KvStore store) {
      if (store == null) {
        throw new KvValidationException("store", "store must not be null");
      }
      return new Recorder(store);
    }

    /** Stops recording; the operations recorded so far stay available. Idempotent. */
    public void stop() {
      subscription.close();
    }

    /**
     * Returns the operations recorded so far.
     *
     * @return the recording
     */
    public Recording recording() {
      return new Recording(events);
    }
  }
}
