package io.kvstore.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits, within a bound, for something another thread or process does: an invalidation that
 * arrives over pub/sub, a key a server expires, a connection that comes back. The one polling
 * helper of the kit, so every wait has a bound, a name in its failure and the same polling.
 *
 * <pre>{@code
 * Awaits.until("the peer's near cache drops k", () -> peer.blocking().get("k").isEmpty());
 * Optional<String> v = Awaits.until("the new value", Duration.ofSeconds(5),
 *     () -> ns.blocking().get("k"), Optional.of("v2")::equals);
 * }</pre>
 *
 * <p>A condition that throws (a {@link RuntimeException} or an {@link AssertionError}) counts
 * as not met yet, so a read that fails while a server restarts is polled again; when the bound
 * runs out, the failure names what was awaited, the last value seen and has the last exception
 * as its cause. Polls every {@value #POLL_MILLIS} ms. Not for sleeping through a TTL on a store
 * with a {@link MutableClock}: move the clock. Thread-safe (it keeps no state).
 */
public final class Awaits {
  /** How long {@link #until(String, BooleanSupplier)} waits: generous, for a loaded machine. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The pause between two polls, in milliseconds. */
  public static final long POLL_MILLIS = 10;

  private Awaits() {}

  /**
   * Waits until a condition holds, at most {@link #DEFAULT_TIMEOUT}.
   *
   * @param what what is awaited, for the failure message ("the store reconnects")
   * @param condition polled until it returns {@code true}
   * @throws AssertionError if it does not within the bound
   */
  public static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT_TIMEOUT, condition);
  }

  /**
   * Waits until a condition holds.
   *
   * @param what what is awaited, for the failure message
   * @param within the bound
   * @param condition polled until it returns {@code true}
   * @throws AssertionError if it does not within the bound
   */
  public static void until(String what, Duration within, BooleanSupplier condition) {
    until(what, within, condition::getAsBoolean, Boolean.TRUE::equals);
  }

  /**
   * Waits until a value is accepted and returns it.
   *
   * @param what what is awaited, for the failure message
   * @param within the bound
   * @param value polled until {@code accepted} holds for what it returns
   * @param accepted the test of each value
   * @param <T> the value type
   * @return the first accepted value
   * @throws AssertionError if none is within the bound
   */
  public static <T> T until(String what, Duration within, Supplier<T> value,
      Predicate<? super T> accepted) {
    Objects.requireNonNull(what, "what");
    long deadline = System.nanoTime() + within.toNanos();
    Object last = "nothing yet";
    Throwable lastFailure = null;
    while (true) {
      try {
        T current = value.get();
        if (accepted.test(current)) {
          return current;
        }
        last = current;
        lastFailure = null;
      } catch (RuntimeException | AssertionError e) {
        last = e;
        lastFailure = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("waited " + within + " for " + what + "; last seen: " + last,
            lastFailure);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
