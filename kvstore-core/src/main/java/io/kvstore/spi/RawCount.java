package io.kvstore.spi;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The outcome of a {@link RawIncrement}.
 *
 * @param status what happened
 * @param value the counter after the increment when {@link Status#APPLIED}; otherwise the value
 *     it still holds (0 if absent, and 0 for {@link Status#NOT_A_NUMBER})
 */
public record RawCount(Status status, long value) {
  /** What an increment did. Only {@link #APPLIED} changed anything. */
  public enum Status {
    /** The counter now holds {@link RawCount#value()}. */
    APPLIED,
    /** The result would have been outside the bounds: nothing changed. */
    REFUSED,
    /** The key holds bytes that are not the decimal text of a {@code long}: nothing changed. */
    NOT_A_NUMBER,
    /** The result would not fit a {@code long}: nothing changed. */
    OVERFLOW
  }

  /**
   * Checks the components.
   *
   * @param status what happened
   * @param value the counter's value
   */
  public RawCount {
    Objects.requireNonNull(status, "status");
  }

  /**
   * Returns the stored form of {@link #value()}: its decimal text, US-ASCII.
   *
   * @return the bytes to store
   */
  public byte[] bytes() {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }
}
