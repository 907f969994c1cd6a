package io.kvstore;

/**
 * The store cannot serve the call now, and a later retry may succeed: it cannot be reached
 * (refused, disconnected, closed, or failed while the command was in flight), or it answered that
 * it cannot serve for now (on Redis: {@code READONLY}, {@code LOADING}, {@code BUSY},
 * {@code TRYAGAIN}, {@code CLUSTERDOWN}, {@code MASTERDOWN}, named in the message). Calls fail
 * fast with this while the store is down instead of queueing without bound.
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
