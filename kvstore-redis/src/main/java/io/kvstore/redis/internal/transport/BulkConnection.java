package io.kvstore.redis.internal.transport;

import io.kvstore.spi.Failures;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second connection a store opens for large batches, on first use. It is made by the same
 * Lettuce client, so it has the same options as the main one: {@code REJECT_COMMANDS} while
 * disconnected, no replay, the reply timeout, auto-reconnect. A failed open is forgotten, so the
 * next large batch tries again; closing closes it, also when it opens after the close. A call
 * waits for the opening no longer than its timeout ({@link #get(Duration)}).
 *
 * @param <C> the connection type
 */
final class BulkConnection<C extends AutoCloseable> {
  private static final Logger LOG = LoggerFactory.getLogger(BulkConnection.class);

  private final Supplier<CompletableFuture<C>> open;
  private CompletableFuture<C> connection; // guarded by this
  private boolean closed; // guarded by this

  BulkConnection(Supplier<CompletableFuture<C>> open) {
    this.open = open;
  }

  /** The connection, opening it if there is none (or the last attempt failed). */
  synchronized CompletableFuture<C> get() {
    if (closed) {
      return CompletableFuture.failedFuture(
          new io.lettuce.core.RedisConnectionException("the store is closed"));
    }
    if (connection == null || connection.isCompletedExceptionally()) {
      connection = open.get();
    }
    return connection;
  }

  /**
   * The connection for a call that may wait at most {@code within} for it to open: a call's
   * whole budget is its timeout, and a server that accepts connections but does not answer (a
   * stalled process) would otherwise hold the call for the handshake's own timeout and then
   * fail it as unavailable. Fails with {@link NotSentException}, since no command of the call
   * has been written; the opening goes on, so the next large batch may find it open.
   *
   * @param within how long the call may wait
   * @return the open connection, or a failure wrapped in {@link NotSentException}
   */
  CompletableFuture<C> get(Duration within) {
    return get(System.nanoTime() + within.toNanos());
  }

  /**
   * An opening that times out (a handshake nobody answered) may have been started by an earlier
   * call and end early in this one; the call opens again while its own time lasts. Any other
   * failure (refused, closed) ends the call at once.
   */
  private CompletableFuture<C> get(long deadline) {
    CompletableFuture<C> opening = get();
    if (opening.isDone() && !opening.isCompletedExceptionally()) {
      return opening;
    }
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return CompletableFuture.failedFuture(new NotSentException("opening the bulk connection",
          new TimeoutException("the bulk connection did not open in time")));
    }
    return opening.copy().orTimeout(left, TimeUnit.NANOSECONDS)
        .handle((connection, error) -> {
          if (error == null) {
            return CompletableFuture.completedFuture(connection);
          }
          Throwable cause = Failures.cause(error);
          if (!(cause instanceof TimeoutException) && Errors.isTimeout(cause)
              && deadline - System.nanoTime() > 0) {
            return get(deadline);
          }
          return CompletableFuture.<C>failedFuture(
              new NotSentException("opening the bulk connection", cause));
        }).thenCompose(next -> next);
  }

  /** Closes the connection, now or when its opening completes. */
  void close() {
    CompletableFuture<C> current;
    synchronized (this) {
      closed = true;
      current = connection;
    }
    if (current != null) {
      current.thenAccept(BulkConnection::closeQuietly);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("closing the bulk connection failed", e);
    }
  }
}
