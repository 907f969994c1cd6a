package io.kvstore.redis.internal.transport;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second connection a store opens for large batches, on first use. It is made by the same
 * Lettuce client, so it has the same options as the main one: {@code REJECT_COMMANDS} while
 * disconnected, no replay, the reply timeout, auto-reconnect. A failed open is forgotten, so the
 * next large batch tries again; closing closes it, also when it opens after the close.
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
