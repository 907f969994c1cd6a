package io.kvstore.spring.boot.autoconfigure;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.KvEntry;
import io.kvstore.KvNamespace;
import io.kvstore.KvPage;
import io.kvstore.KvResult;
import io.kvstore.KvStore;
import io.kvstore.KvSwap;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValuePage;
import io.kvstore.KvVersion;
import io.kvstore.KvVersioned;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.UpdateOptions;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A namespace of a {@link DeferredKvStore}, bound to the real store on first use after the
 * connection; until then every call fails at once with {@link KvUnavailableException}.
 *
 * @param <V> the value type
 */
final class DeferredNamespace<V> implements KvNamespace<V> {
  private final DeferredKvStore owner;
  private final NamespaceOptions<V> options;
  private volatile KvNamespace<V> bound;

  DeferredNamespace(DeferredKvStore owner, NamespaceOptions<V> options) {
    this.owner = owner;
    this.options = options;
  }

  /** Returns the real namespace, or null while there is no store. */
  private KvNamespace<V> bound() {
    KvNamespace<V> ns = bound;
    if (ns == null) {
      KvStore s = owner.connected();
      if (s == null || owner.closed()) {
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
    return ns == null ? CompletableFuture.failedFuture(owner.unavailable()) : op.apply(ns);
  }

  private BlockingKvNamespace<V> blockingOrThrow() {
    KvNamespace<V> ns = bound();
    if (ns == null) {
      throw owner.unavailable();
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
