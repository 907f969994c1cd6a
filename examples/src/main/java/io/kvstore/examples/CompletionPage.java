package io.kvstore.examples;

import java.util.List;

/**
 * One page of a user's completed workouts, in program order.
 *
 * @param items the completions of this page
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page
 */
public record CompletionPage(List<WorkoutCompletion> items, String nextCursor) {
  /**
   * Copies the items.
   *
   * @param items the completions of this page
   * @param nextCursor the cursor of the next page, or {@code null} on the last page
   */
  public CompletionPage {
    items = List.copyOf(items);
  }
}
