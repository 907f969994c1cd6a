package io.kvstore.internal;

import io.kvstore.DecodeOptions;
import io.kvstore.KvEvent;
import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvOperation;
import io.kvstore.KvStats;
import io.kvstore.KvStore;
import io.kvstore.KvTracer;
import io.kvstore.KvValidationException;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.spi.InvalidationListener;
import io.kvstore.spi.KvBackend;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store over any {@link KvBackend}: opens namespaces, counts, notifies listeners and logs slow
 * operations. Every operation goes through {@link #begin} and {@link Operation#finish}, which is
 * the single place where stats, events and the slow log are fed.
 *
 * <p><b>Observability, at what cost.</b> {@link #begin} runs on the caller's thread: only when
 * the sequential-get detector is on, it updates that thread's run
 * ({@link SequentialGetDetector}). {@link #finished} runs on the thread that completes the
 * operation: it adds to the counters, calls the configured listeners and then those added with
 * {@link #listen}, such as {@link io.kvstore.KvRoundTrips}'s (a copy-on-write list, free to
 * iterate when empty),
 * and logs the operation if it was slow. A tracer, when there is one, is called by the
 * {@link Operation} itself: at its creation on the caller's thread, and at its end. Keys reach
 * the slow log (and a tracer) only when keys may be logged: then namespaces get a
 * {@link KeyLoggingBackend} that hands each call's first keys to its operation; otherwise they get
 * the backend itself and nothing is captured.
 */
final class DefaultKvStore implements KvStore {
  /** How many keys a slow-operation line shows when keys may be logged. */
  static final int SLOW_LOG_KEYS = 3;

  private static final Logger SLOW_LOG = LoggerFactory.getLogger("io.kvstore.SlowOperations");
  private static final Logger LOG = LoggerFactory.getLogger(DefaultKvStore.class);

  private final KvBackend backend;
  private final KvBackend namespaceBackend;
  private final SequentialGetDetector sequentialGets;
  private final List<KvListener> watchers = new CopyOnWriteArrayList<>();
  /** Namespaces whose invalidations cannot be heard for now ({@link #paused}). */
  private final Set<String> pausedNamespaces = ConcurrentHashMap.newKeySet();
  private final Clock clock;
  private final ObservabilityOptions observability;
  private final KvTracer tracer;
  private final String systemName;
  private final long slowWarnNanos;
  private final long slowErrorNanos;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Decoder decoder;
  private final boolean coalesceGets;
  private final Cursors cursors;

  private final LongAdder operations = new LongAdder();
  private final LongAdder roundTrips = new LongAdder();
  private final LongAdder keysRead = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder nearCacheHits = new LongAdder();
  private final LongAdder nearCacheMisses = new LongAdder();
  private final LongAdder nearCacheLoads = new LongAdder();
  private final LongAdder nearCacheEvictions = new LongAdder();
  private final LongAdder invalidationsReceived = new LongAdder();
  private final LongAdder decodeFailures = new LongAdder();

  /**
   * Near caches by namespace name. Views of one namespace with the same codec share a cache; a
   * write through any view drops the key from every cache of that name, so a view with another
   * codec (raw bytes, say) can never leave a typed view stale.
   */
  private final Map<String, List<NearCache<?>>> nearCaches = new ConcurrentHashMap<>();
  private final Map<String, AutoCloseable> subscriptions = new ConcurrentHashMap<>();
  private final Map<String, LocalWrites> localWrites = new ConcurrentHashMap<>();

  /**
   * Creates a store.
   *
   * @param backend the adapter
   * @param clock the clock TTLs are resolved against
   * @param observability listeners and logging
   * @param decoding where values are decoded
   * @param coalesceGets whether namespaces coalesce concurrent single gets unless they say
   *     otherwise
   * @param cursors signs and checks the store's listing cursors
   */
  DefaultKvStore(KvBackend backend, Clock clock, ObservabilityOptions observability,
      DecodeOptions decoding, boolean coalesceGets, Cursors cursors) {
    this.coalesceGets = coalesceGets;
    this.cursors = cursors;
    this.backend = backend;
    this.decoder = new Decoder(decoding);
    this.namespaceBackend = observability.logKeys() ? new KeyLoggingBackend(backend) : backend;
    this.sequentialGets = observability.sequentialGetDetector()
        ? new SequentialGetDetector(observability.sequentialGetThreshold(),
            observability.sequentialGetWindow(), clock)
        : null;
    this.clock = clock;
    this.observability = observability;
    this.tracer = observability.tracer().orElse(null);
    this.systemName = backend.systemName();
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
    return KvStats.builder().operations(operations.sum()).roundTrips(roundTrips.sum())
        .keysRead(keysRead.sum()).errors(errors.sum()).nearCacheHits(nearCacheHits.sum())
        .nearCacheMisses(nearCacheMisses.sum()).nearCacheLoads(nearCacheLoads.sum())
        .nearCacheEvictions(nearCacheEvictions.sum())
        .invalidationsReceived(invalidationsReceived.sum()).decodeFailures(decodeFailures.sum())
        .build();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      subscriptions.values().forEach(DefaultKvStore::closeQuietly);
      subscriptions.clear();
      backend.close();
      decoder.close();
    }
  }

  private static void closeQuietly(AutoCloseable subscription) {
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("closing an invalidation subscription failed", e);
    }
  }

  /**
   * Returns the near cache of a namespace view, shared with earlier views of the same name and
   * codec; subscribes the name to the backend's invalidation bus on first use.
   */
  @SuppressWarnings("unchecked")
  <V> NearCache<V> nearCache(NamespaceOptions<V> options, NearCacheOptions cacheOptions) {
    String name = options.name();
    List<NearCache<?>> caches = nearCaches.computeIfAbsent(name, n -> {
      backend.invalidations().ifPresent(bus -> subscriptions.put(n, bus.subscribe(n,
          new InvalidationListener() {
            @Override
            public void invalidate(List<String> keys) {
              // Counted once dropped: a reader that sees the count must not be served the
              // value it invalidates.
              invalidateLocal(n, keys);
              invalidationsReceived.add(keys.size());
            }

            @Override
            public void invalidateAll() {
              nearCaches.getOrDefault(n, List.of()).forEach(NearCache::invalidateAll);
            }

            @Override
            public void pause() {
              paused(n, true);
            }

            @Override
            public void resume() {
              paused(n, false);
            }
          })));
      return new CopyOnWriteArrayList<>();
    });
    synchronized (caches) {
      for (NearCache<?> cache : caches) {
        if (cache.codec() == options.codec()) {
          return (NearCache<V>) cache;
        }
      }
      NearCache<V> cache = new NearCache<>(cacheOptions, options.codec(), clock,
          nearCacheEvictions::increment, localWrites(name));
      if (pausedNamespaces.contains(name)) {
        cache.pause();
      }
      caches.add(cache);
      return cache;
    }
  }

  /**
   * Pauses or resumes a namespace's near caches, and remembers it for caches made later. A pause
   * can come while the namespace subscribes, before its list of caches exists: the set is what
   * a new cache reads, under the list's lock, as this does.
   */
  private void paused(String namespace, boolean pause) {
    if (pause) {
      pausedNamespaces.add(namespace);
    } else {
      pausedNamespaces.remove(namespace);
    }
    List<NearCache<?>> caches = nearCaches.get(namespace);
    if (caches != null) {
      synchronized (caches) {
        caches.forEach(pause ? NearCache::pause : NearCache::resume);
      }
    }
  }

  /**
   * Returns the bracket of this instance's writes of a namespace, one per name.
   *
   * @param namespace the namespace name
   * @return what every view and near cache of the name shares
   */
  LocalWrites localWrites(String namespace) {
    return localWrites.computeIfAbsent(namespace,
        n -> new LocalWrites(keys -> invalidateLocal(n, keys)));
  }

  /** Drops keys from every near cache of a namespace: a write of this instance or another's. */
  void invalidateLocal(String namespace, Collection<String> keys) {
    List<NearCache<?>> caches = nearCaches.get(namespace);
    if (caches != null) {
      caches.forEach(cache -> cache.invalidate(keys));
    }
  }

  void nearCacheLoaded() {
    nearCacheLoads.increment();
  }

  @Override
  public String toString() {
    return "KvStore[" + backend + "]";
  }

  @Override
  public Subscription listen(KvListener listener) {
    if (listener == null) {
      throw new KvValidationException("listener", "listener must not be null");
    }
    watchers.add(listener);
    AtomicBoolean removed = new AtomicBoolean();
    return () -> {
      if (removed.compareAndSet(false, true)) {
        watchers.remove(listener);
      }
    };
  }

  /** The backend namespaces call: the store's own, or one that captures keys for the log. */
  KvBackend backend() {
    return namespaceBackend;
  }

  Clock clock() {
    return clock;
  }

  Decoder decoder() {
    return decoder;
  }

  /** Signs and checks this store's listing cursors. */
  Cursors cursors() {
    return cursors;
  }

  /** The store's default for namespaces that do not say whether they coalesce gets. */
  boolean coalesceGets() {
    return coalesceGets;
  }

  boolean logKeys() {
    return observability.logKeys();
  }

  /** The tracer, or null: checked once per operation, so an untraced one allocates nothing. */
  KvTracer tracer() {
    return tracer;
  }

  String systemName() {
    return systemName;
  }

  /**
   * Starts tracking one logical operation. On a closed store it still returns one, whose
   * {@link Operation#run} fails its future: "store closed" is a store failure, not an argument
   * error, so it never throws from the call.
   */
  Operation begin(String namespace, KvOperation operation, int keyCount) {
    return begin(namespace, operation, keyCount, false);
  }

  /**
   * Starts tracking one logical operation, as {@link #begin(String, KvOperation, int)}.
   *
   * @param coalesced whether it is a {@code get} that may share a batch with concurrent gets,
   *     which the sequential-get detector then counts only when the previous get was done
   */
  Operation begin(String namespace, KvOperation operation, int keyCount, boolean coalesced) {
    Operation op = new Operation(this, namespace, operation, keyCount);
    if (sequentialGets != null) {
      sequentialGets.started(namespace, operation, op, coalesced);
    }
    return op;
  }

  boolean isClosed() {
    return closed.get();
  }

  /**
   * Counts a finished operation and tells whoever asked. Its event is built only when someone
   * reads it: a listener, a watcher or the slow log.
   */
  void finished(Operation op) {
    operations.increment();
    roundTrips.add(op.roundTrips());
    if (op.isRead()) {
      keysRead.add(op.eventKeyCount());
    }
    if (op.failed()) {
      errors.increment();
    }
    nearCacheHits.add(op.nearCacheHits());
    nearCacheMisses.add(op.nearCacheMisses());
    decodeFailures.add(op.decodeFailureCount());
    List<KvListener> listeners = observability.listeners();
    if (!listeners.isEmpty()) {
      notify(listeners, op.event());
    }
    if (!watchers.isEmpty()) {
      notify(watchers, op.event());
    }
    long nanos = op.nanos();
    if (nanos > slowWarnNanos) {
      logSlow(op, op.event(), nanos > slowErrorNanos);
    }
  }

  private static void notify(List<KvListener> listeners, KvEvent event) {
    for (KvListener listener : listeners) {
      try {
        listener.onOperation(event);
      } catch (RuntimeException | Error e) {
        // An Error too (an assert in a test listener): the operation's outcome is not the
        // listener's to change, and its caller's future must still complete.
        LOG.warn("kvstore listener {} failed on a {} event; ignored", listener,
            event.operation(), e);
      }
    }
  }

  private void logSlow(Operation op, KvEvent e, boolean error) {
    String format = "slow {}: {} ms, {} keys, {} round trips, {} nodes{}{}";
    Object[] args = {Operation.describe(e.operation(), e.namespace()), e.duration().toMillis(),
        e.keyCount(), e.roundTrips(), e.nodes(),
        e.error().map(t -> ", failed with " + t.getSimpleName()).orElse(""),
        observability.logKeys() ? op.keysForLog() : ""};
    if (error) {
      SLOW_LOG.error(format, args);
    } else {
      SLOW_LOG.warn(format, args);
    }
  }
}
