package io.kvstore.spring.boot.autoconfigure;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.KvEntry;
import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvPage;
import io.kvstore.KvResult;
import io.kvstore.KvStats;
import io.kvstore.KvStore;
import io.kvstore.KvSwap;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.KvValuePage;
import io.kvstore.KvVersion;
import io.kvstore.KvVersioned;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.UpdateOptions;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
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

  private KvUnavailableException unavailable() {
    return new KvUnavailableException(closed ? "the store is closed"
        : target + " has not been reachable since start-up; retrying in the background", null);
  }

  @Override
  public <V> KvNamespace<V> namespace(NamespaceOptions<V> options) {
    if (options == null) {
      throw new KvValidationException("options", "options must not be null");
    }
    return new DeferredNamespace<>(options);
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

  /** A namespace bound to the real store on first use after the connection. */
  private final class DeferredNamespace<V> implements KvNamespace<V> {
    private final NamespaceOptions<V> options;
    private volatile KvNamespace<V> bound;

    DeferredNamespace(NamespaceOptions<V> options) {
      this.options = options;
    }

    /** Returns the real namespace, or null while there is no store. */
    private KvNamespace<V> bound() {
      KvNamespace<V> ns = bound;
      if (ns == null) {
        KvStore s = store;
        if (s == null || closed) {
          return null;
        }
        synchronized (this) {
          if (bound == null) {
            bound = s.namespace(options);
          }
          ns = bound;
        }
      }
      return ns;
    }

    private <R> CompletableFuture<R> call(Function<KvNamespace<V>, CompletableFuture<R>> op) {
      KvNamespace<V> ns = bound();
      return ns == null ? CompletableFuture.failedFuture(unavailable()) : op.apply(ns);
    }

    private BlockingKvNamespace<V> blockingOrThrow() {
      KvNamespace<V> ns = bound();
      if (ns == null) {
        throw unavailable();
      }
      return ns.blocking();
    }

    @Override
    public String name() {
      return options.name();
    }

    @Override
    public NamespaceOptions<V> options() {
      return options;
    }

    @Override
    public CompletableFuture<Optional<V>> get(String key) {
      return call(ns -> ns.get(key));
    }

    @Override
    public CompletableFuture<Map<String, V>> getAll(Collection<String> keys) {
      return call(ns -> ns.getAll(keys));
    }

    @Override
    public CompletableFuture<Map<String, KvResult<V>>> getAllResults(Collection<String> keys) {
      return call(ns -> ns.getAllResults(keys));
    }

    @Override
    public CompletableFuture<Void> put(String key, V value) {
      return call(ns -> ns.put(key, value));
    }

    @Override
    public CompletableFuture<Void> put(String key, V value, PutOptions putOptions) {
      return call(ns -> ns.put(key, value, putOptions));
    }

    @Override
    public CompletableFuture<Boolean> putIfAbsent(String key, V value, PutOptions putOptions) {
      return call(ns -> ns.putIfAbsent(key, value, putOptions));
    }

    @Override
    public CompletableFuture<Void> putAll(Map<String, ? extends V> entries) {
      return call(ns -> ns.putAll(entries));
    }

    @Override
    public CompletableFuture<Void> putAll(Map<String, ? extends V> entries,
        PutOptions putOptions) {
      return call(ns -> ns.putAll(entries, putOptions));
    }

    @Override
    public CompletableFuture<Boolean> delete(String key) {
      return call(ns -> ns.delete(key));
    }

    @Override
    public CompletableFuture<Long> deleteAll(Collection<String> keys) {
      return call(ns -> ns.deleteAll(keys));
    }

    @Override
    public CompletableFuture<Optional<KvVersioned<V>>> getVersioned(String key) {
      return call(ns -> ns.getVersioned(key));
    }

    @Override
    public CompletableFuture<KvSwap> replace(String key, KvVersion expected, V value) {
      return call(ns -> ns.replace(key, expected, value));
    }

    @Override
    public CompletableFuture<KvSwap> deleteIf(String key, KvVersion expected) {
      return call(ns -> ns.deleteIf(key, expected));
    }

    @Override
    public CompletableFuture<Optional<V>> update(String key,
        Function<Optional<V>, Optional<V>> fn) {
      return call(ns -> ns.update(key, fn));
    }

    @Override
    public CompletableFuture<Optional<V>> update(String key,
        Function<Optional<V>, Optional<V>> fn, UpdateOptions updateOptions) {
      return call(ns -> ns.update(key, fn, updateOptions));
    }

    @Override
    public CompletableFuture<KvPage> list(ListOptions listOptions) {
      return call(ns -> ns.list(listOptions));
    }

    @Override
    public CompletableFuture<KvValuePage<V>> listValues(ListOptions listOptions) {
      return call(ns -> ns.listValues(listOptions));
    }

    @Override
    public CompletableFuture<Long> reindex() {
      return call(KvNamespace::reindex);
    }

    @Override
    public BlockingKvNamespace<V> blocking() {
      return new DeferredBlocking();
    }

    /** The blocking view: the real namespace's, or {@link KvUnavailableException} at once. */
    private final class DeferredBlocking implements BlockingKvNamespace<V> {
      @Override
      public Optional<V> get(String key) {
        return blockingOrThrow().get(key);
      }

      @Override
      public Map<String, V> getAll(Collection<String> keys) {
        return blockingOrThrow().getAll(keys);
      }

      @Override
      public Map<String, KvResult<V>> getAllResults(Collection<String> keys) {
        return blockingOrThrow().getAllResults(keys);
      }

      @Override
      public void put(String key, V value) {
        blockingOrThrow().put(key, value);
      }

      @Override
      public void put(String key, V value, PutOptions putOptions) {
        blockingOrThrow().put(key, value, putOptions);
      }

      @Override
      public boolean putIfAbsent(String key, V value, PutOptions putOptions) {
        return blockingOrThrow().putIfAbsent(key, value, putOptions);
      }

      @Override
      public void putAll(Map<String, ? extends V> entries) {
        blockingOrThrow().putAll(entries);
      }

      @Override
      public void putAll(Map<String, ? extends V> entries, PutOptions putOptions) {
        blockingOrThrow().putAll(entries, putOptions);
      }

      @Override
      public boolean delete(String key) {
        return blockingOrThrow().delete(key);
      }

      @Override
      public long deleteAll(Collection<String> keys) {
        return blockingOrThrow().deleteAll(keys);
      }

      @Override
      public Optional<KvVersioned<V>> getVersioned(String key) {
        return blockingOrThrow().getVersioned(key);
      }

      @Override
      public KvSwap replace(String key, KvVersion expected, V value) {
        return blockingOrThrow().replace(key, expected, value);
      }

      @Override
      public KvSwap deleteIf(String key, KvVersion expected) {
        return blockingOrThrow().deleteIf(key, expected);
      }

      @Override
      public Optional<V> update(String key, Function<Optional<V>, Optional<V>> fn) {
        return blockingOrThrow().update(key, fn);
      }

      @Override
      public Optional<V> update(String key, Function<Optional<V>, Optional<V>> fn,
          UpdateOptions updateOptions) {
        return blockingOrThrow().update(key, fn, updateOptions);
      }

      @Override
      public KvPage list(ListOptions listOptions) {
        return blockingOrThrow().list(listOptions);
      }

      @Override
      public KvValuePage<V> listValues(ListOptions listOptions) {
        return blockingOrThrow().listValues(listOptions);
      }

      @Override
      public Stream<KvEntry<V>> scanValues(String prefix) {
        return blockingOrThrow().scanValues(prefix);
      }

      @Override
      public long reindex() {
        return blockingOrThrow().reindex();
      }

      @Override
      public KvNamespace<V> async() {
        return DeferredNamespace.this;
      }
    }
  }
}
