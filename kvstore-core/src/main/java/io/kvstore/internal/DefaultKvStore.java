package io.kvstore.internal;

import io.kvstore.KvEvent;
import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvOperation;
import io.kvstore.KvStats;
import io.kvstore.KvStore;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.NamespaceOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.spi.KvBackend;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store over any {@link KvBackend}: opens namespaces, counts, notifies listeners and logs slow
 * operations. Every operation goes through {@link #begin} and {@link Operation#finish}, which is
 * the single place where stats, events and the slow log are fed.
 */
public final class DefaultKvStore implements KvStore {
  private static final Logger SLOW_LOG = LoggerFactory.getLogger("io.kvstore.SlowOperations");
  private static final Logger LOG = LoggerFactory.getLogger(DefaultKvStore.class);

  private final KvBackend backend;
  private final Clock clock;
  private final ObservabilityOptions observability;
  private final long slowWarnNanos;
  private final long slowErrorNanos;
  private final AtomicBoolean closed = new AtomicBoolean();

  private final LongAdder operations = new LongAdder();
  private final LongAdder roundTrips = new LongAdder();
  private final LongAdder keysRead = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder nearCacheHits = new LongAdder();
  private final LongAdder nearCacheMisses = new LongAdder();

  /**
   * Creates a store.
   *
   * @param backend the adapter
   * @param clock the clock TTLs are resolved against
   * @param observability listeners and logging
   */
  public DefaultKvStore(KvBackend backend, Clock clock, ObservabilityOptions observability) {
    this.backend = backend;
    this.clock = clock;
    this.observability = observability;
    this.slowWarnNanos = observability.slowOperationWarn().toNanos();
    this.slowErrorNanos = observability.slowOperationError().toNanos();
  }

  @Override
  public <V> KvNamespace<V> namespace(NamespaceOptions<V> options) {
    if (options == null) {
      throw new KvValidationException("options", "namespace options must not be null");
    }
    return new DefaultKvNamespace<>(this, options);
  }

  @Override
  public CompletableFuture<Void> ping() {
    Operation op = begin("", KvOperation.PING, 0);
    return op.run(() -> backend.ping(op), v -> v, v -> 0);
  }

  @Override
  public KvStats stats() {
    return new KvStats(operations.sum(), roundTrips.sum(), keysRead.sum(), errors.sum(),
        nearCacheHits.sum(), nearCacheMisses.sum());
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      backend.close();
    }
  }

  @Override
  public String toString() {
    return "KvStore[" + backend + "]";
  }

  KvBackend backend() {
    return backend;
  }

  Clock clock() {
    return clock;
  }

  boolean logKeys() {
    return observability.logKeys();
  }

  /**
   * Starts tracking one logical operation.
   *
   * @throws KvUnavailableException if the store is closed
   */
  Operation begin(String namespace, KvOperation operation, int keyCount) {
    if (closed.get()) {
      throw new KvUnavailableException(Operation.describe(operation, namespace)
          + ": the store is closed", null);
    }
    return new Operation(this, namespace, operation, keyCount);
  }

  void finished(Operation op, KvEvent event, long nanos) {
    operations.increment();
    roundTrips.add(event.roundTrips());
    if (op.isRead()) {
      keysRead.add(event.keyCount());
    }
    if (!event.succeeded()) {
      errors.increment();
    }
    nearCacheHits.add(event.nearCacheHits());
    nearCacheMisses.add(event.nearCacheMisses());
    for (KvListener listener : observability.listeners()) {
      try {
        listener.onOperation(event);
      } catch (RuntimeException e) {
        LOG.warn("kvstore listener {} failed on a {} event; ignored", listener,
            event.operation(), e);
      }
    }
    if (nanos > slowWarnNanos) {
      logSlow(event, nanos > slowErrorNanos);
    }
  }

  private static void logSlow(KvEvent e, boolean error) {
    String format = "slow {} on namespace '{}': {} ms, {} keys, {} round trips, {} nodes{}";
    Object[] args = {Operation.verb(e.operation()), e.namespace(), e.duration().toMillis(),
        e.keyCount(), e.roundTrips(), e.nodes(),
        e.succeeded() ? "" : ", failed with " + e.error().getSimpleName()};
    if (error) {
      SLOW_LOG.error(format, args);
    } else {
      SLOW_LOG.warn(format, args);
    }
  }
}
