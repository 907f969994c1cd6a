package io.kvstore.internal;

import io.kvstore.KvEvent;
import io.kvstore.KvException;
import io.kvstore.KvOperation;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.spi.BackendCall;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * One logical operation in flight: the backend records its round trips here, and
 * {@link #run} completes the caller's future only after stats, listeners and the slow log have
 * seen the outcome, so a caller that joins and then reads {@code stats()} sees its own call.
 */
final class Operation implements BackendCall {
  private final DefaultKvStore store;
  private final String namespace;
  private final KvOperation operation;
  private final int keyCount;
  private final long startNanos = System.nanoTime();
  private final AtomicInteger roundTrips = new AtomicInteger();
  private final AtomicInteger nodes = new AtomicInteger();
  private volatile int nearCacheHits;
  private volatile int nearCacheMisses;
  private volatile List<String> sentKeys = List.of();
  private volatile int sentKeyCount;
  private volatile String sentPrefix;

  Operation(DefaultKvStore store, String namespace, KvOperation operation, int keyCount) {
    this.store = store;
    this.namespace = namespace;
    this.operation = operation;
    this.keyCount = keyCount;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public KvOperation operation() {
    return operation;
  }

  @Override
  public void recordRoundTrip(int nodeCount) {
    roundTrips.incrementAndGet();
    nodes.accumulateAndGet(Math.max(1, nodeCount), Math::max);
  }

  @Override
  public String describe() {
    return describe(operation, namespace);
  }

  @Override
  public int keyCount() {
    return keyCount;
  }

  void nearCache(int hits, int misses) {
    this.nearCacheHits = hits;
    this.nearCacheMisses = misses;
  }

  /**
   * Remembers the first keys sent to the backend, for the slow-operation log. Called only when
   * keys may be logged.
   *
   * @param firstKeys at most {@link DefaultKvStore#SLOW_LOG_KEYS} keys
   * @param total how many keys were sent
   */
  void sentKeys(List<String> firstKeys, int total) {
    this.sentKeys = firstKeys;
    this.sentKeyCount = total;
  }

  /** Remembers the prefix a listing sent, for the slow-operation log. */
  void sentPrefix(String prefix) {
    this.sentPrefix = prefix;
  }

  /** The keys or prefix for the slow-operation log, such as {@code ", keys [a, b, c, …]"}. */
  String keysForLog() {
    String prefix = sentPrefix;
    if (prefix != null) {
      return ", prefix '" + abbreviate(prefix) + "'";
    }
    List<String> keys = sentKeys;
    if (keys.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder(", keys [");
    for (int i = 0; i < keys.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(abbreviate(keys.get(i)));
    }
    return b.append(sentKeyCount > keys.size() ? ", …]" : "]").toString();
  }

  private static String abbreviate(String key) {
    return key.length() <= DefaultKvStore.LOGGED_KEY_CHARS ? key
        : key.substring(0, DefaultKvStore.LOGGED_KEY_CHARS) + "…";
  }

  boolean isRead() {
    return switch (operation) {
      case GET, GET_ALL, LIST, LIST_VALUES -> true;
      default -> false;
    };
  }

  private boolean isListing() {
    return operation == KvOperation.LIST || operation == KvOperation.LIST_VALUES;
  }

  static String describe(KvOperation operation, String namespace) {
    return namespace.isEmpty() ? verb(operation)
        : verb(operation) + " on namespace '" + namespace + "'";
  }

  private static String verb(KvOperation operation) {
    return operation.methodName();
  }

  /**
   * Calls the backend, maps its result and reports the outcome once.
   *
   * <p>The one rule for errors: a bad argument throws {@link KvValidationException} from the
   * call itself. The namespace checks its own before {@code begin}; one a backend finds while
   * starting, such as a prefix that spans partitions, is rethrown here, whether the backend
   * threw it or returned it already failed (the near cache turns a loader's exception into a
   * completed failure, so that Caffeine does not log it). Every other failure, including a
   * closed store, completes the returned future exceptionally.
   *
   * @param call starts the backend call
   * @param mapper turns the backend result into the caller's result; may throw a KvException
   * @param found how many keys the backend result found, wrote, deleted or listed
   * @throws KvValidationException if the backend rejected an argument before sending anything
   */
  <T, R> CompletableFuture<R> run(Supplier<CompletableFuture<T>> call, Function<T, R> mapper,
      ToIntFunction<T> found) {
    CompletableFuture<T> started;
    if (store.isClosed()) {
      started = CompletableFuture.failedFuture(
          new KvUnavailableException(describe() + ": the store is closed", null));
    } else {
      try {
        started = call.get();
      } catch (KvValidationException e) {
        throw e;
      } catch (RuntimeException e) {
        started = CompletableFuture.failedFuture(e);
      }
      if (started.isCompletedExceptionally()
          && unwrap(started.handle((value, error) -> error).join())
              instanceof KvValidationException e) {
        throw e;
      }
    }
    CompletableFuture<R> result = new CompletableFuture<>();
    started.whenComplete((value, error) -> {
      R mapped = null;
      int foundCount = 0;
      Throwable failure = error;
      if (failure == null) {
        try {
          foundCount = found.applyAsInt(value);
          mapped = mapper.apply(value);
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      KvException kvFailure = failure == null ? null : toKvException(failure);
      finish(foundCount, kvFailure);
      if (kvFailure == null) {
        result.complete(mapped);
      } else {
        result.completeExceptionally(kvFailure);
      }
    });
    return result;
  }

  /** The failure a {@link CompletionException} carries. */
  static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private KvException toKvException(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof KvException kv) {
      return kv;
    }
    return new KvException(describe() + " failed: " + cause.getClass().getName(), cause);
  }

  private void finish(int found, KvException error) {
    long nanos = System.nanoTime() - startNanos;
    // A listing names no keys up front: its key count is what it returned.
    KvEvent event = new KvEvent(namespace, operation, isListing() ? found : keyCount, found,
        nearCacheHits, nearCacheMisses, roundTrips.get(), nodes.get(), Duration.ofNanos(nanos),
        error == null ? null : error.getClass());
    store.finished(this, event, nanos);
  }
}
