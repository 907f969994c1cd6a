package io.kvstore.examples;

import java.util.List;

/**
 * A user's progress through the program: the completions of its workouts, in program order.
 *
 * @param user the user id
 * @param workouts how many workouts the program has
 * @param completions the completed ones, week 1 day 1 first
 */
public record Progress(String user, int workouts, List<WorkoutCompletion> completions) {
  /**
   * Copies the completions.
   *
   * @param user the user id
   * @param workouts how many workouts the program has
   * @param completions the completed ones, week 1 day 1 first
   */
  public Progress {
    completions = List.copyOf(completions);
  }
}
