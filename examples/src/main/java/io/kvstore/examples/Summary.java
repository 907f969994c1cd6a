package io.kvstore.examples;

import java.util.Collection;

/**
 * A user's summary, one record per user beside the completions: how many workouts are done and
 * the current streak. Every record and undo changes it with {@code update} (read, change,
 * conditional write, retried if another request changed it in between), so concurrent requests
 * of one user never lose each other's change, as a {@code get} then {@code put} would.
 *
 * <p>It keeps the set of workouts done, not only the counts: recording a workout twice, or
 * undoing one that is not done, then changes nothing, so a request that is retried (after a 503,
 * say) repairs the summary instead of counting twice, and the counts are always those of the set.
 * Immutable.
 *
 * @param completed how many workouts of the program are done
 * @param currentStreak how many workouts in a row, in program order, end at the last one done
 * @param done the workouts done: bit {@code i} for the {@code i}-th workout of the program (week
 *     1 day 1 is bit 0; the program has 64 workouts)
 */
public record Summary(int completed, int currentStreak, long done) {
  /** No workout done. */
  static final Summary EMPTY = of(0L);

  /**
   * Returns the summary of a set of workouts done.
   *
   * @param done bit {@code i} for the {@code i}-th workout of the program
   * @return the summary, counts computed from the set
   */
  static Summary of(long done) {
    if (done == 0) {
      return new Summary(0, 0, 0);
    }
    int last = 63 - Long.numberOfLeadingZeros(done);
    // Shift the last workout done to the top bit, then count the ones that follow it down.
    int streak = Long.numberOfLeadingZeros(~(done << (63 - last)));
    return new Summary(Long.bitCount(done), streak, done);
  }

  /**
   * Returns the summary of what the completion records say.
   *
   * @param completions a user's completions
   * @return the summary they make
   */
  static Summary of(Collection<WorkoutCompletion> completions) {
    long done = 0;
    for (WorkoutCompletion c : completions) {
      done |= 1L << index(c.week(), c.day());
    }
    return of(done);
  }

  /**
   * Returns the bit of a workout.
   *
   * @param week 1 to 16
   * @param day 1 to 4
   * @return 0 to 63, in program order
   */
  static int index(int week, int day) {
    return (week - 1) * TrainingProgram.DAYS_PER_WEEK + (day - 1);
  }

  /**
   * Returns this summary with one workout marked done or not done.
   *
   * @param week the workout's week
   * @param day its day
   * @param isDone whether it is done now
   * @return a new summary, even when nothing changed (see {@link WorkoutApi}: every record and
   *     undo then costs the same round trips)
   */
  Summary with(int week, int day, boolean isDone) {
    long bit = 1L << index(week, day);
    return of(isDone ? done | bit : done & ~bit);
  }

  /**
   * Returns what the API answers for this summary: the counts, without the set.
   *
   * @param user the user
   * @return the answer of {@code GET /api/users/{user}/summary}
   */
  View view(String user) {
    return new View(user, completed, currentStreak);
  }

  /**
   * A user's summary as the API answers it.
   *
   * @param user the user id
   * @param completed how many workouts are done
   * @param currentStreak how many in a row, in program order, end at the last one done
   */
  public record View(String user, int completed, int currentStreak) {}
}
