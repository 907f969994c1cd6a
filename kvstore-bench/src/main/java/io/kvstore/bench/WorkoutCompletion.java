package io.kvstore.bench;

import java.time.Instant;
import java.util.List;

/**
 * A completed workout of a 16-week, 4-day strength program, as the workout service stores it:
 * 300 to 600 bytes of JSON. Immutable.
 *
 * @param id the completion id
 * @param user the user id, such as {@code user-42}
 * @param program the program id
 * @param week the program week, 1 to 16
 * @param day the training day of the week, 1 to 4
 * @param completedAt when the workout was finished
 * @param durationSeconds how long it took
 * @param exercises what was done, in order
 */
public record WorkoutCompletion(String id, String user, String program, int week, int day,
    Instant completedAt, int durationSeconds, List<ExerciseLog> exercises) {

  /**
   * One exercise of a workout.
   *
   * @param name the exercise
   * @param sets the sets done, in order
   */
  public record ExerciseLog(String name, List<SetLog> sets) {}

  /**
   * One set.
   *
   * @param reps repetitions done
   * @param weightKg the load
   */
  public record SetLog(int reps, double weightKg) {}
}
