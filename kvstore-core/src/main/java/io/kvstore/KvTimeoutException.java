package io.kvstore;

import org.jspecify.annotations.Nullable;

/**
 * The store did not answer within the operation timeout. For writes the outcome is unknown: the
 * write may still have been applied (see {@link #outcomeUnknown()}).
 */
public class KvTimeoutException extends KvException {
  private static final long serialVersionUID = 1L;

  /** Whether a write may have been applied. */
  private final boolean outcomeUnknown;

  /**
   * Creates a timeout failure.
   *
   * @param message the operation, namespace and timeout that elapsed
   * @param outcomeUnknown {@code true} when the operation wrote and may have been applied
   * @param cause the client's own exception
   */
  public KvTimeoutException(String message, boolean outcomeUnknown,
      @Nullable Throwable cause) {
    super(message, cause);
    this.outcomeUnknown = outcomeUnknown;
  }

  /**
   * Tells whether a write may have been applied although it timed out. Always {@code false} for
   * reads.
   *
   * @return {@code true} when the caller must not assume the write was lost
   */
  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }
}
