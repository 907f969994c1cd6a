package io.kvstore;

/**
 * Round-trip accounting for tests: say "listing 64 workouts takes at most 2 round trips" and have
 * a test fail when a loop of single reads creeps back in. Counts come from
 * {@link KvStore#stats()}, so they do not flake with timing.
 *
 * <pre>{@code
 * long trips = KvRoundTrips.count(store, () -> service.completedWorkouts("user-42"));
 * KvRoundTrips.assertAtMost(store, 2, () -> service.completedWorkouts("user-42"));
 * }</pre>
 *
 * <p>The count covers every operation on the store while the block runs, from any thread: wait
 * for the block's futures inside the block, and keep other work off the store meanwhile.
 */
public final class KvRoundTrips {
  private KvRoundTrips() {}

  /**
   * Runs a block and returns the round trips the store made meanwhile.
   *
   * @param store the store to watch
   * @param block the code to run; it should wait for its own futures
   * @return the round trips made while the block ran
   */
  public static long count(KvStore store, Runnable block) {
    long before = store.stats().roundTrips();
    block.run();
    return store.stats().roundTrips() - before;
  }

  /**
   * Runs a block and fails if it made more round trips than allowed.
   *
   * @param store the store to watch
   * @param budget the most round trips the block may make
   * @param block the code to run; it should wait for its own futures
   * @return the round trips made
   * @throws AssertionError if the block made more than {@code budget} round trips
   */
  public static long assertAtMost(KvStore store, long budget, Runnable block) {
    KvStats before = store.stats();
    block.run();
    KvStats after = store.stats();
    long trips = after.roundTrips() - before.roundTrips();
    if (trips > budget) {
      throw new AssertionError("expected at most " + budget + " round trips but the block made "
          + trips + " in " + (after.operations() - before.operations())
          + " operations; batch single reads with getAll or listValues");
    }
    return trips;
  }
}
