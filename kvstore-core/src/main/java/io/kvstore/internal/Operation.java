package io.kvstore.internal;

import io.kvstore.KvEvent;
import io.kvstore.KvException;
import io.kvstore.KvOperation;
import io.kvstore.KvOperationEnd;
import io.kvstore.KvOperationStart;
import io.kvstore.KvTracer;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.Failures;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical operation in flight: the backend records its round trips here, and
 * {@link #run} completes the caller's future only after stats, listeners and the slow log have
 * seen the outcome, so a caller that joins and then reads {@code stats()} sees its own call.
 *
 * <p>When the store has a {@link KvTracer}, the operation starts its span when it is created,
 * which {@link DefaultKvStore#begin} does on the caller's thread (so the tracer can read the
 * caller's context), and ends it in {@link #finish}, before the caller's future completes.
 * Without a tracer {@code span} is null and nothing is allocated for tracing.
 */
final class Operation implements BackendCall {
  private static final Logger LOG = LoggerFactory.getLogger(Operation.class);

  private final DefaultKvStore store;
  private final String namespace;
  private final KvOperation operation;
  private final int keyCount;
  private final KvTracer.OperationSpan span;
  private final long startNanos = System.nanoTime();
  private final AtomicInteger roundTrips = new AtomicInteger();
  private final AtomicInteger nodes = new AtomicInteger();
  private volatile int nearCacheHits;
  private volatile int nearCacheMisses;
  private volatile int decodeFailures;
  private volatile List<String> sentKeys = List.of();
  private volatile int sentKeyCount;
  private volatile String sentPrefix;
  private volatile boolean finished;
  // Set by finish, before the event is built or the store counts the operation (same thread).
  private int found;
  private KvException error;
  private long nanos;
  private KvEvent event;

  Operation(DefaultKvStore store, String namespace, KvOperation operation, int keyCount) {
    this.store = store;
    this.namespace = namespace;
    this.operation = operation;
    this.keyCount = keyCount;
    KvTracer tracer = store.tracer();
    this.span = tracer == null ? null : startSpan(tracer);
  }

  private KvTracer.OperationSpan startSpan(KvTracer tracer) {
    try {
      return tracer.start(
          new KvOperationStart(store.systemName(), namespace, operation, keyCount));
    } catch (RuntimeException | Error e) {
      LOG.warn("kvstore tracer {} failed to start {}; that operation is not traced", tracer,
          describe(), e);
      return null;
    }
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

  /** Records how many stored values this operation could not decode. */
  void decodeFailures(int count) {
    this.decodeFailures = count;
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
      return ", prefix '" + Keys.abbreviate(prefix) + "'";
    }
    List<String> keys = loggedKeys();
    if (keys.isEmpty()) {
      return "";
    }
    return ", keys [" + String.join(", ", keys) + (sentKeyCount > keys.size() ? ", …]" : "]");
  }

  /** The first keys sent, abbreviated; empty unless keys may be logged. */
  private List<String> loggedKeys() {
    List<String> keys = sentKeys;
    return keys.isEmpty() ? keys : keys.stream().map(Keys::abbreviate).toList();
  }

  boolean isRead() {
    return operation.isRead();
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
      started = CompletableFuture.failedFuture(storeClosed());
    } else {
      try {
        started = call.get();
      } catch (KvValidationException e) {
        throw rejected(e);
      } catch (RuntimeException e) {
        started = CompletableFuture.failedFuture(e);
      }
      if (started.isCompletedExceptionally()
          && Failures.cause(started.handle((value, error) -> error).join())
              instanceof KvValidationException e) {
        throw rejected(e);
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
        } catch (RuntimeException | Error e) {
          failure = e;
        }
      }
      KvException kvFailure = failure == null ? null : toKvException(failure);
      // Observers are isolated in finish; the finally keeps the promise that the caller's
      // future completes whatever else goes wrong on this (often an I/O) thread.
      try {
        finish(foundCount, kvFailure);
      } finally {
        if (kvFailure == null) {
          result.complete(mapped);
        } else {
          result.completeExceptionally(kvFailure);
        }
      }
    });
    return result;
  }

  private KvException toKvException(Throwable t) {
    Throwable cause = Failures.cause(t);
    if (cause instanceof KvException kv) {
      return kv;
    }
    return new KvException(describe() + " failed: " + cause.getClass().getName(), cause);
  }

  /** Whether the operation has finished: its event is out and its future about to complete. */
  boolean isFinished() {
    return finished;
  }

  private void finish(int found, KvException error) {
    finished = true;
    this.found = found;
    this.error = error;
    this.nanos = System.nanoTime() - startNanos;
    if (span != null) {
      endSpan(event(), error);
    }
    store.finished(this);
  }

  /**
   * The operation's event, built on first use once it has finished: most operations of a store
   * without listeners, tracer or slow log entry never need one, and a near-cache hit is cheap
   * enough that building it would be a good part of its cost.
   */
  KvEvent event() {
    KvEvent built = event;
    if (built == null) {
      built = KvEvent.builder(namespace, operation).keyCount(eventKeyCount()).found(found)
          .nearCacheHits(nearCacheHits).nearCacheMisses(nearCacheMisses)
          .roundTrips(roundTrips.get()).nodes(nodes.get()).duration(Duration.ofNanos(nanos))
          .error(error == null ? null : error.getClass()).decodeFailures(decodeFailures)
          .build();
      event = built;
    }
    return built;
  }

  /** A listing names no keys up front: its key count is what it returned. */
  int eventKeyCount() {
    return isListing() ? found : keyCount;
  }

  int roundTrips() {
    return roundTrips.get();
  }

  int nearCacheHits() {
    return nearCacheHits;
  }

  int nearCacheMisses() {
    return nearCacheMisses;
  }

  int decodeFailureCount() {
    return decodeFailures;
  }

  /** How long the operation took, once it has finished. */
  long nanos() {
    return nanos;
  }

  /** Whether it failed, once it has finished. */
  boolean failed() {
    return error != null;
  }

  /**
   * An argument the backend rejected while starting: thrown from the call and, like the
   * namespace's own checks, no event; but a span already started is ended, with the error.
   */
  private KvValidationException rejected(KvValidationException e) {
    if (span != null) {
      this.error = e;
      this.nanos = System.nanoTime() - startNanos;
      endSpan(event(), e);
    }
    return e;
  }

  /** Ends the span before the listeners run, so that its end time is the operation's. */
  private void endSpan(KvEvent event, KvException error) {
    String prefix = sentPrefix;
    try {
      span.end(new KvOperationEnd(event, Optional.ofNullable(error), loggedKeys(),
          prefix == null ? Optional.empty() : Optional.of(Keys.abbreviate(prefix))));
    } catch (RuntimeException | Error e) {
      LOG.warn("kvstore tracer failed to end the span of {}; ignored", describe(), e);
    }
  }
}
