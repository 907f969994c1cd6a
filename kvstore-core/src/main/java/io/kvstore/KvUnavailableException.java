package io.kvstore;

/**
 * The store cannot be reached (refused, disconnected, closed, or failed while the command was in
 * flight). Calls fail fast with this while the store is down instead of queueing without bound.
 */
public class KvUnavailableException extends KvException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an availability failure.
   *
   * @param message the operation, namespace and what was unreachable
   * @param cause the client's own exception, if any
   */
  public KvUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
