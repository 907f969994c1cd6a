package io.kvstore;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception kvstore throws. Unchecked; subclasses say what the caller can do:
 * fix the input ({@link KvValidationException}), repair or skip one stored value
 * ({@link KvCodecException}), retry later ({@link KvTimeoutException},
 * {@link KvUnavailableException}).
 *
 * <p>Messages name the operation, the namespace and the rule broken. They never contain values,
 * and contain keys only when the store was configured with
 * {@link ObservabilityOptions.Builder#logKeys(boolean)}.
 */
public class KvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what failed and why
   */
  public KvException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the underlying cause.
   *
   * @param message what failed and why
   * @param cause the underlying failure, kept for diagnosis
   */
  public KvException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
