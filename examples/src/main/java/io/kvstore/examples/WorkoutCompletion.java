package io.kvstore.examples;

import java.time.Instant;
import java.util.List;

/**
 * A completed workout as stored (one key per user, week and day) and as the API returns it.
 * Immutable.
 *
 * @param user the user id
 * @param week the program week, 1 to {@value TrainingProgram#WEEKS}
 * @param day the day of the week, 1 to {@value TrainingProgram#DAYS_PER_WEEK}
 * @param completedAt when the workout was done
 * @param durationMinutes how long it took
 * @param exercises what was done, in order
 * @param notes free text, or {@code null}
 */
public record WorkoutCompletion(
    String user, int week, int day, Instant completedAt, int durationMinutes,
    List<ExerciseLog> exercises, String notes) {
  /**
   * Copies the exercises.
   *
   * @param user the user id
   * @param week the program week
   * @param day the day of the week
   * @param completedAt when the workout was done
   * @param durationMinutes how long it took
   * @param exercises what was done, in order
   * @param notes free text, or {@code null}
   */
  public WorkoutCompletion {
    exercises = List.copyOf(exercises);
  }

  /**
   * One exercise as done.
   *
   * @param name the exercise
   * @param sets sets done
   * @param reps repetitions per set
   * @param weightKg the load in kilograms, 0 for body weight
   */
  public record ExerciseLog(String name, int sets, int reps, double weightKg) {}
}
