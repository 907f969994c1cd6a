package io.kvstore.testkit.internal.linearizability;

import io.kvstore.KvSwap;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The operations of the register model, one register per key, and their sequential semantics:
 * whether an operation's recorded output is possible in a state, and the state after it. The
 * state is the value held, {@code null} when the key is absent. An operation whose outcome is
 * unknown accepts any state: it may have been applied (with whatever output) or not at all.
 */
public enum OpKind {
  /** {@code get} or {@code getVersioned}: output {@code Optional<String>}. */
  GET("get", false),
  /** {@code put}: no output. */
  PUT("put", true),
  /** {@code putIfAbsent}: output {@code Boolean}, whether it wrote. */
  PUT_IF_ABSENT("putIfAbsent", true),
  /** {@code replace} at the version of an expected value: output {@link KvSwap}. */
  REPLACE("replace", true),
  /** {@code delete}: output {@code Boolean}, whether the key existed. */
  DELETE("delete", true),
  /** {@code deleteIf} at the version of an expected value: output {@link KvSwap}. */
  DELETE_IF("deleteIf", true);

  private final String verb;
  private final boolean writes;

  OpKind(String verb, boolean writes) {
    this.verb = verb;
    this.writes = writes;
  }

  /**
   * Returns the verb as the namespace names it.
   *
   * @return such as {@code deleteIf}
   */
  public String verb() {
    return verb;
  }

  /**
   * Tells whether the operation may change the register: a read whose outcome is unknown is
   * left out of a history, a write's is kept as possibly applied.
   *
   * @return true for every verb but {@link #GET}
   */
  public boolean writes() {
    return writes;
  }

  /**
   * Tells whether the recorded output of {@code op} is what this operation returns in
   * {@code state}.
   *
   * @param state the value held, {@code null} if absent
   * @param op the operation, of this kind
   * @return true if {@code op} may take effect in {@code state}
   */
  boolean accepts(@Nullable String state, HistoryOp op) {
    if (op.unknown()) {
      return true;
    }
    return switch (this) {
      case GET -> op.output().equals(Optional.ofNullable(state));
      case PUT -> true;
      case PUT_IF_ABSENT -> op.output().equals(state == null);
      case REPLACE, DELETE_IF -> op.output() == swap(state, op.expected());
      case DELETE -> op.output().equals(state != null);
    };
  }

  /**
   * Returns the state after {@code op} took effect in {@code state}.
   *
   * @param state the value held, {@code null} if absent
   * @param op the operation, of this kind
   * @return the value held afterwards, {@code null} if absent
   */
  @Nullable String next(@Nullable String state, HistoryOp op) {
    return switch (this) {
      case GET -> state;
      case PUT -> op.value();
      case PUT_IF_ABSENT -> state == null ? op.value() : state;
      case REPLACE -> swap(state, op.expected()) == KvSwap.APPLIED ? op.value() : state;
      case DELETE -> null;
      case DELETE_IF -> swap(state, op.expected()) == KvSwap.APPLIED ? null : state;
    };
  }

  /** What a conditional write at the version of {@code expected} answers in {@code state}. */
  private static KvSwap swap(@Nullable String state, @Nullable String expected) {
    if (state == null) {
      return KvSwap.MISSING;
    }
    return Objects.equals(state, expected) ? KvSwap.APPLIED : KvSwap.CHANGED;
  }
}
