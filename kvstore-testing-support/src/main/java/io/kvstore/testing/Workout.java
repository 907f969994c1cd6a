package io.kvstore.testing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A completed workout, the record the contract suite stores: a realistic JSON value with a
 * timestamp and nested records.
 *
 * @param user the user id
 * @param week the program week, 1 to 16
 * @param day the day of the week, 1 to 4
 * @param completedAt when it was completed
 * @param exercises what was done
 */
public record Workout(String user, int week, int day, Instant completedAt,
    List<Exercise> exercises) {

  /**
   * One exercise of a workout.
   *
   * @param name the exercise
   * @param sets sets done
   * @param reps reps per set
   * @param weightKg the weight
   */
  public record Exercise(String name, int sets, int reps, double weightKg) {}

  /**
   * Makes a workout for a user, week and day with a fixed timestamp.
   *
   * @param user the user
   * @param week the week
   * @param day the day
   * @return the workout
   */
  public static Workout of(String user, int week, int day) {
    return new Workout(user, week, day, Instant.parse("2026-03-01T07:30:00Z")
        .plusSeconds(86_400L * (week * 7 + day)),
        List.of(new Exercise("squat", 5, 5, 100 + week), new Exercise("row", 3, 8, 60)));
  }

  /**
   * The key the workout service uses for it.
   *
   * @return {@code user:wWW:dD}
   */
  public String key() {
    return String.format("%s:w%02d:d%d", user, week, day);
  }

  /**
   * The first workouts of a user's 16-week, 4-day program, by key, in program order: week 1
   * day 1, week 1 day 2, ...
   *
   * @param user the user
   * @param count how many, at most 64
   * @return the workouts by {@link #key()}, in program order
   */
  public static Map<String, Workout> program(String user, int count) {
    Map<String, Workout> program = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      Workout w = of(user, 1 + i / 4, 1 + i % 4);
      program.put(w.key(), w);
    }
    return program;
  }
}
