package io.kvstore.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * The training program: {@value #WEEKS} weeks of {@value #DAYS_PER_WEEK} workouts, one main lift
 * a day whose sets and reps follow the phase of the program (foundation, build, strength, peak,
 * deload), plus two accessories. Immutable and thread-safe.
 */
public final class TrainingProgram {
  /** Weeks in the program, numbered from 1. */
  public static final int WEEKS = 16;

  /** Workouts per week, numbered from 1. */
  public static final int DAYS_PER_WEEK = 4;

  private static final List<PlannedWorkout> WORKOUTS = build();

  private TrainingProgram() {}

  /**
   * One planned exercise.
   *
   * @param name the exercise
   * @param sets how many sets
   * @param reps repetitions per set
   */
  public record PlannedExercise(String name, int sets, int reps) {}

  /**
   * One planned workout.
   *
   * @param week the week, 1 to {@value #WEEKS}
   * @param day the day of the week, 1 to {@value #DAYS_PER_WEEK}
   * @param title what the workout is
   * @param exercises the exercises, in order
   */
  public record PlannedWorkout(int week, int day, String title, List<PlannedExercise> exercises) {
    /**
     * Copies the exercises.
     *
     * @param week the week, 1 to {@value #WEEKS}
     * @param day the day of the week, 1 to {@value #DAYS_PER_WEEK}
     * @param title what the workout is
     * @param exercises the exercises, in order
     */
    public PlannedWorkout {
      exercises = List.copyOf(exercises);
    }
  }

  /**
   * Returns every workout of the program in order: week 1 day 1 first.
   *
   * @return the {@value #WEEKS} x {@value #DAYS_PER_WEEK} workouts, unmodifiable
   */
  public static List<PlannedWorkout> workouts() {
    return WORKOUTS;
  }

  private static List<PlannedWorkout> build() {
    String[][] days = {
        {"Squat day", "Back squat", "Romanian deadlift", "Plank"},
        {"Bench day", "Bench press", "Barbell row", "Push-up"},
        {"Deadlift day", "Deadlift", "Front squat", "Pull-up"},
        {"Press day", "Overhead press", "Walking lunge", "Dip"},
    };
    List<PlannedWorkout> workouts = new ArrayList<>(WEEKS * DAYS_PER_WEEK);
    for (int week = 1; week <= WEEKS; week++) {
      String phase;
      int sets;
      int reps;
      if (week <= 4) {
        phase = "Foundation";
        sets = 3;
        reps = 10;
      } else if (week <= 8) {
        phase = "Build";
        sets = 4;
        reps = 8;
      } else if (week <= 12) {
        phase = "Strength";
        sets = 5;
        reps = 5;
      } else if (week <= 15) {
        phase = "Peak";
        sets = 5;
        reps = 3;
      } else {
        phase = "Deload";
        sets = 2;
        reps = 5;
      }
      int accessorySets = week == WEEKS ? 2 : 3;
      for (int day = 1; day <= DAYS_PER_WEEK; day++) {
        String[] d = days[day - 1];
        workouts.add(new PlannedWorkout(week, day, phase + ": " + d[0], List.of(
            new PlannedExercise(d[1], sets, reps),
            new PlannedExercise(d[2], accessorySets, 10),
            new PlannedExercise(d[3], accessorySets, 12))));
      }
    }
    return List.copyOf(workouts);
  }
}
