package io.kvstore.testkit;

import java.util.List;
import java.util.Optional;

/**
 * The verdict of {@link KvHistoryRecorder#check()} on a recorded history: whether it is
 * linearizable and, when it is not, the key that breaks it and the few operations that show how.
 * Immutable.
 *
 * <pre>{@code
 * LinearizabilityReport report = history.check();
 * assertTrue(report.linearizable(), report::toString);
 * }</pre>
 *
 * @param verdict linearizable, not, or undecided within the search budget
 * @param operations the operations in the history, outcome-unknown ones included
 * @param keys the keys they touched (each checked as a register of its own)
 * @param unknown the operations whose outcome was unknown (a timeout, a lost connection)
 * @param key the first key, in key order, without a linearization; empty if none
 * @param excerpt the operations that show the violation, one line each; empty if none
 */
public record LinearizabilityReport(Verdict verdict, int operations, int keys, int unknown,
    Optional<String> key, List<String> excerpt) {
  /** What the search decided. */
  public enum Verdict {
    /** Every key's operations have an order consistent with real time and a register. */
    LINEARIZABLE,
    /** A key's operations have no such order: a stale read, a lost update, a phantom value. */
    NOT_LINEARIZABLE,
    /** The search spent its budget on a key before deciding: record shorter histories. */
    UNDECIDED
  }

  /**
   * Copies the excerpt.
   *
   * @param verdict linearizable, not, or undecided
   * @param operations the operations in the history
   * @param keys the keys they touched
   * @param unknown the operations whose outcome was unknown
   * @param key the key without a linearization, or empty
   * @param excerpt the lines that show the violation
   */
  public LinearizabilityReport {
    excerpt = List.copyOf(excerpt);
  }

  /**
   * Tells whether the history is linearizable.
   *
   * @return true only for {@link Verdict#LINEARIZABLE}
   */
  public boolean linearizable() {
    return verdict == Verdict.LINEARIZABLE;
  }

  /**
   * Describes the verdict, with the excerpt on the lines that follow.
   *
   * @return such as {@code LINEARIZABLE: 600 operations on 3 keys (2 of unknown outcome)}
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(verdict.name()).append(": ").append(operations)
        .append(" operations on ").append(keys).append(keys == 1 ? " key" : " keys")
        .append(" (").append(unknown).append(" of unknown outcome)");
    key.ifPresent(k -> s.append("; key ").append(k).append(':'));
    excerpt.forEach(line -> s.append(System.lineSeparator()).append("  ").append(line));
    return s.toString();
  }
}
