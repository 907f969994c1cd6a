package io.kvstore.redis.internal.transport;

/**
 * Marks a failure that happened before any command of the call was written, such as the bulk
 * connection not opening in time: the caller's outcome is known (nothing was applied), which
 * {@link Errors} says, also for writes.
 */
final class NotSentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Wraps why nothing was sent.
   *
   * @param step what was being done, such as "opening the bulk connection"
   * @param cause the failure
   */
  NotSentException(String step, Throwable cause) {
    super(step, cause, false, false);
  }
}
