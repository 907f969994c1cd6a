package io.kvstore.testkit.internal.linearizability;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One operation of a recorded history: who called what on which key, what it returned, and
 * when it was invoked and returned ({@link System#nanoTime()}). An operation whose outcome is
 * unknown (a timeout, a lost connection) returns at {@link #UNKNOWN}: it may take effect at any
 * point after its invocation, or never, as Jepsen and Porcupine treat {@code :info} operations.
 *
 * @param id the order of invocation in the history
 * @param thread the name of the calling thread
 * @param kind the verb
 * @param key the key, the register the operation acts on
 * @param value the value written, {@code null} for reads and deletes
 * @param expected the value whose version a {@code replace} or {@code deleteIf} named
 * @param output what it returned: see {@link OpKind}; {@code null} when unknown or none
 * @param call when it was invoked
 * @param ret when it returned, {@link #UNKNOWN} if its outcome is unknown
 */
public record HistoryOp(int id, String thread, OpKind kind, String key, @Nullable String value,
    @Nullable String expected, @Nullable Object output, long call, long ret) {
  /** The return time of an operation whose outcome is unknown: after everything. */
  public static final long UNKNOWN = Long.MAX_VALUE;

  /**
   * Tells whether the outcome is unknown.
   *
   * @return true if it may or may not have taken effect
   */
  public boolean unknown() {
    return ret == UNKNOWN;
  }

  /**
   * Renders the operation for a report, times relative to {@code origin}, in milliseconds.
   *
   * @param origin the time of the history's first invocation
   * @return such as {@code [+1.203, +1.950] t-2 replace(k0, expected "v3", "v7") -> APPLIED}
   */
  public String describe(long origin) {
    String args = switch (kind) {
      case GET, DELETE -> key;
      case PUT, PUT_IF_ABSENT -> key + ", " + quote(value);
      case REPLACE -> key + ", expected " + quote(expected) + ", " + quote(value);
      case DELETE_IF -> key + ", expected " + quote(expected);
    };
    String result = unknown() ? "outcome unknown"
        : kind == OpKind.PUT ? "ok"
        : output instanceof Optional<?> o ? o.map(v -> quote((String) v)).orElse("absent")
        : String.valueOf(output);
    String end = unknown() ? "?" : millis(ret - origin);
    return "[" + millis(call - origin) + ", " + end + "] " + thread + " "
        + kind.verb() + "(" + args + ") -> " + result;
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "+%.3f ms", nanos / 1e6);
  }

  private static String quote(@Nullable String s) {
    return s == null ? "absent" : "\"" + s + "\"";
  }
}
