package io.kvstore.spring.boot.autoconfigure;

import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvStats;
import io.kvstore.KvStore;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.NamespaceOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis store that was unreachable at start-up ({@code kvstore.redis.fail-fast=false}): the
 * application starts, and this store keeps trying to connect on one daemon thread,
 * {@code kvstore-connect}, after 1 s, then twice as long each time up to 30 s. Until it connects,
 * every call fails at once with {@link KvUnavailableException} (never waits or queues) and
 * {@link #ping()} fails, so health reports DOWN; namespaces opened before that are bound to the
 * real store once it exists. After the connection, the real store's own reconnection handles
 * later outages, as for a store that connected at start-up.
 *
 * <p>While disconnected, arguments are not checked (a bad key also fails with
 * {@code KvUnavailableException}); nothing is sent either way.
 */
final class DeferredKvStore implements KvStore {
  private static final Logger log = LoggerFactory.getLogger(DeferredKvStore.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final String target;
  private final Supplier<KvStore> connect;
  private final ScheduledExecutorService retries;
  /** Listeners added with {@link #listen}, before or after connecting; the real store feeds them. */
  private final List<KvListener> listeners = new CopyOnWriteArrayList<>();
  private volatile KvStore store;
  private volatile boolean closed;

  /**
   * Starts retrying in the background.
   *
   * @param target hosts and ports, for log lines and errors
   * @param connect opens the real store, throwing {@link KvUnavailableException} while Redis is
   *     unreachable
   */
  DeferredKvStore(String target, Supplier<KvStore> connect) {
    this.target = target;
    this.connect = connect;
    this.retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "kvstore-connect");
      thread.setDaemon(true);
      return thread;
    });
    schedule(FIRST_RETRY);
  }

  private void schedule(Duration delay) {
    retries.schedule(() -> attempt(delay), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void attempt(Duration delay) {
    KvStore opened;
    try {
      opened = connect.get();
    } catch (RuntimeException e) {
      Duration next = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY
          : delay.multipliedBy(2);
      log.debug("kvstore: {} still unreachable ({}); next attempt in {}", target, e.toString(),
          next);
      if (!closed) {
        schedule(next);
      }
      return;
    }
    synchronized (this) {
      if (closed) {
        opened.close();
        return;
      }
      opened.listen(KvListener.of(event -> listeners.forEach(l -> l.onOperation(event))));
      store = opened;
    }
    log.info("kvstore: connected to {}", target);
    retries.shutdown();
  }

  /**
   * Returns the real store once connected.
   *
   * @return the store, or null while Redis has not been reached
   */
  KvStore connected() {
    return store;
  }

  /** Whether {@link #close()} was called. */
  boolean closed() {
    return closed;
  }

  /** The failure of every call made while there is no store. */
  KvUnavailableException unavailable() {
    return new KvUnavailableException(closed ? "the store is closed"
        : target + " has not been reachable since start-up; retrying in the background", null);
  }

  @Override
  public <V> KvNamespace<V> namespace(NamespaceOptions<V> options) {
    if (options == null) {
      throw new KvValidationException("options", "options must not be null");
    }
    return new DeferredNamespace<>(this, options);
  }

  @Override
  public CompletableFuture<Void> ping() {
    KvStore s = store;
    return s == null ? CompletableFuture.failedFuture(unavailable()) : s.ping();
  }

  @Override
  public KvStats stats() {
    KvStore s = store;
    return s == null ? KvStats.empty() : s.stats();
  }

  @Override
  public Subscription listen(KvListener listener) {
    if (listener == null) {
      throw new KvValidationException("listener", "listener must not be null");
    }
    KvListener added = KvListener.of(listener::onOperation);
    listeners.add(added);
    return () -> listeners.remove(added);
  }

  @Override
  public void close() {
    KvStore s;
    synchronized (this) {
      closed = true;
      s = store;
    }
    retries.shutdownNow();
    if (s != null) {
      s.close();
    }
  }
}
