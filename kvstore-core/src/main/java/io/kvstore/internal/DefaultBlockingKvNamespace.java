package io.kvstore.internal;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.CounterOptions;
import io.kvstore.KvCount;
import io.kvstore.KvEntry;
import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.KvPage;
import io.kvstore.KvResult;
import io.kvstore.KvSwap;
import io.kvstore.KvValuePage;
import io.kvstore.KvVersion;
import io.kvstore.KvVersioned;
import io.kvstore.ListOptions;
import io.kvstore.PutOptions;
import io.kvstore.UpdateOptions;
import io.kvstore.spi.Failures;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Blocking view: waits for the async namespace and rethrows its {@link KvException}. */
final class DefaultBlockingKvNamespace<V> implements BlockingKvNamespace<V> {
  private final KvNamespace<V> async;

  DefaultBlockingKvNamespace(KvNamespace<V> async) {
    this.async = async;
  }

  @Override
  public Optional<V> get(String key) {
    return await(async.get(key));
  }

  @Override
  public Map<String, V> getAll(Collection<String> keys) {
    return await(async.getAll(keys));
  }

  @Override
  public Map<String, KvResult<V>> getAllResults(Collection<String> keys) {
    return await(async.getAllResults(keys));
  }

  @Override
  public void put(String key, V value) {
    await(async.put(key, value));
  }

  @Override
  public void put(String key, V value, PutOptions options) {
    await(async.put(key, value, options));
  }

  @Override
  public boolean putIfAbsent(String key, V value, PutOptions options) {
    return await(async.putIfAbsent(key, value, options));
  }

  @Override
  public void putAll(Map<String, ? extends V> entries) {
    await(async.putAll(entries));
  }

  @Override
  public void putAll(Map<String, ? extends V> entries, PutOptions options) {
    await(async.putAll(entries, options));
  }

  @Override
  public boolean delete(String key) {
    return await(async.delete(key));
  }

  @Override
  public long deleteAll(Collection<String> keys) {
    return await(async.deleteAll(keys));
  }

  @Override
  public KvPage list(ListOptions options) {
    return await(async.list(options));
  }

  @Override
  public KvValuePage<V> listValues(ListOptions options) {
    return await(async.listValues(options));
  }

  @Override
  public Stream<KvEntry<V>> scanValues(String prefix) {
    ListOptions first = ListOptions.prefix(prefix);
    // Fail on a bad prefix now, not on the first pull of the stream.
    KvValuePage<V> firstPage = listValues(first);
    Iterator<KvEntry<V>> pages = new Iterator<>() {
      private KvValuePage<V> page = firstPage;
      private Iterator<KvEntry<V>> current = firstPage.entries().iterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && !page.complete()) {
          page = listValues(first.cursor(page.cursor().orElseThrow()));
          current = page.entries().iterator();
        }
        return current.hasNext();
      }

      @Override
      public KvEntry<V> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages,
        Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  @Override
  public long reindex() {
    return await(async.reindex());
  }

  @Override
  public Optional<KvVersioned<V>> getVersioned(String key) {
    return await(async.getVersioned(key));
  }

  @Override
  public KvSwap replace(String key, KvVersion expected, V value) {
    return await(async.replace(key, expected, value));
  }

  @Override
  public KvSwap deleteIf(String key, KvVersion expected) {
    return await(async.deleteIf(key, expected));
  }

  @Override
  public Optional<V> update(String key, Function<Optional<V>, Optional<V>> fn) {
    return await(async.update(key, fn));
  }

  @Override
  public Optional<V> update(String key, Function<Optional<V>, Optional<V>> fn,
      UpdateOptions options) {
    return await(async.update(key, fn, options));
  }

  @Override
  public long increment(String key, long delta) {
    return await(async.increment(key, delta));
  }

  @Override
  public KvCount increment(String key, long delta, CounterOptions options) {
    return await(async.increment(key, delta, options));
  }

  @Override
  public KvNamespace<V> async() {
    return async;
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      // A KvException, or what an update's own function threw: the caller's error, unwrapped.
      if (Failures.cause(e) instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }
}
