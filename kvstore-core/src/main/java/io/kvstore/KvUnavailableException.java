package io.kvstore;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The store cannot serve the call now, and a later retry may succeed: it cannot be reached
 * (refused, disconnected, closed, or failed while the command was in flight), or it answered that
 * it cannot serve for now (on Redis: {@code READONLY}, {@code LOADING}, {@code BUSY},
 * {@code TRYAGAIN}, {@code CLUSTERDOWN}, {@code MASTERDOWN}, named in the message and by
 * {@link #replyKind()}). Calls fail fast with this while the store is down instead of queueing
 * without bound. Thread-safe (immutable).
 */
public class KvUnavailableException extends KvException {
  private static final long serialVersionUID = 1L;

  /** The kind of error reply, or null when the store did not answer with one. */
  private final @Nullable String replyKind;

  /**
   * Creates an availability failure.
   *
   * @param message the operation, namespace and what was unreachable
   * @param cause the client's own exception, if any
   */
  public KvUnavailableException(String message, @Nullable Throwable cause) {
    this(message, null, cause);
  }

  /**
   * Creates an availability failure for a store that answered with an error reply saying it
   * cannot serve the call for now.
   *
   * @param message the operation, namespace and the store's reply
   * @param replyKind the kind of the reply, as the store names it (on Redis its first word,
   *     such as {@code READONLY}), or {@code null} if the store did not answer
   * @param cause the client's own exception, if any
   */
  public KvUnavailableException(String message, @Nullable String replyKind,
      @Nullable Throwable cause) {
    super(message, cause);
    this.replyKind = replyKind;
  }

  /**
   * The kind of error reply the store answered with, when it answered: on Redis {@code READONLY}
   * (a replica, such as an old master after a failover), {@code LOADING} (a restart reading its
   * dataset), {@code BUSY} (a script past its time limit), {@code TRYAGAIN} (a multi-key command
   * over a slot in migration), {@code CLUSTERDOWN} (the cluster lost slots) or
   * {@code MASTERDOWN} (a replica without its master). Empty when the store could not be
   * reached, dropped the connection, or was closed. The kind is also named in the message.
   *
   * @return the reply kind, or empty
   */
  public Optional<String> replyKind() {
    return Optional.ofNullable(replyKind);
  }
}
