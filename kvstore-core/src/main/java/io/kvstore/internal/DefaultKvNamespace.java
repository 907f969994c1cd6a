package io.kvstore.internal;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.CounterOptions;
import io.kvstore.DecodeFailure;
import io.kvstore.KvCount;
import io.kvstore.KvNamespace;
import io.kvstore.KvOperation;
import io.kvstore.KvPage;
import io.kvstore.KvResult;
import io.kvstore.KvSwap;
import io.kvstore.KvValuePage;
import io.kvstore.KvVersion;
import io.kvstore.KvVersioned;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.UpdateOptions;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.RawCount;
import io.kvstore.spi.RawIncrement;
import io.kvstore.spi.RawSwap;
import io.kvstore.spi.RawWrite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The typed namespace over a backend. Each verb validates its arguments (all of them before the
 * first byte is sent), begins the operation, calls its path and shapes the result. The paths are
 * composed once, when the namespace opens: reads by {@link ReadPaths} (near cache, coalescing,
 * read repair, decode), writes through {@link WriteEncoder} and the local invalidation around
 * the backend call; conditional writes through {@link ConditionalWrites}; listing through
 * {@link NamespaceListing}.
 *
 * @param <V> the value type
 */
final class DefaultKvNamespace<V> implements KvNamespace<V> {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultKvNamespace.class);

  private final DefaultKvStore store;
  private final NamespaceOptions<V> options;
  private final String name;
  private final BackendNamespace backendNamespace;
  private final KvBackend backend;
  private final BlockingKvNamespace<V> blocking;
  private final ReadPaths<V> reads;
  private final WriteEncoder<V> encoder;
  private final ConditionalWrites<V> conditional;
  private final Counters counters;
  private final NamespaceListing<V> listing;
  private final LocalWrites writes;
  private final boolean coalescesGets;
  private final boolean logKeys;
  private final String describeGet;
  private final String describeGetAll;

  DefaultKvNamespace(DefaultKvStore store, NamespaceOptions<V> options) {
    this.store = store;
    this.options = options;
    this.name = options.name();
    this.writes = store.localWrites(name);
    Optional<NearCache<V>> nearCache = options.nearCache().map(nc -> store.nearCache(options, nc));
    this.backendNamespace = new BackendNamespace(name, options.listing(), nearCache.isPresent());
    this.backend = store.backend();
    this.blocking = new DefaultBlockingKvNamespace<>(this);
    this.logKeys = store.logKeys();
    ValueDecoder<V> decoder = new ValueDecoder<>(options, store.decoder(), logKeys);
    this.encoder = new WriteEncoder<>(options, store.clock());
    this.reads = ReadPaths.compose(store, options, backendNamespace, nearCache, decoder);
    Supplier<Duration> slide = Ttls.slide(options.ttl());
    Decoder decoding = store.decoder();
    this.conditional = new ConditionalWrites<>(backend, backendNamespace, decoder, encoder, slide,
        logKeys, decoding::executor, options.codec(), nearCache.orElse(null), writes);
    this.counters = new Counters(backend, backendNamespace, options.codec(), encoder, logKeys);
    this.listing = new NamespaceListing<>(store, name, backendNamespace, decoder, slide);
    this.coalescesGets = options.coalesceGets().orElse(store.coalesceGets());
    this.describeGet = Operation.describe(KvOperation.GET, name);
    this.describeGetAll = Operation.describe(KvOperation.GET_ALL, name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public NamespaceOptions<V> options() {
    return options;
  }

  @Override
  public BlockingKvNamespace<V> blocking() {
    return blocking;
  }

  // ---- reads ----

  @Override
  public CompletableFuture<Optional<V>> get(String key) {
    Keys.check(key, describeGet, -1, logKeys);
    Operation op = store.begin(name, KvOperation.GET, 1, coalescesGets);
    return op.run(() -> reads.get().read(op, List.of(key)),
        results -> {
          KvResult<V> result = results.get(0);
          if (result instanceof KvResult.Failed<V> failed
              && options.onDecodeFailure() != DecodeFailure.MISS) {
            throw failed.error();
          }
          return result.toOptional();
        },
        results -> found(op, results));
  }

  @Override
  public CompletableFuture<Map<String, V>> getAll(Collection<String> keys) {
    List<String> distinct = Keys.distinct(keys, describeGetAll, logKeys);
    return readMany(distinct, results -> {
      Map<String, V> found = new LinkedHashMap<>(mapCapacity(distinct.size()));
      int failures = 0;
      for (int i = 0; i < results.size(); i++) {
        KvResult<V> result = results.get(i);
        if (result instanceof KvResult.Found<V> hit) {
          found.put(distinct.get(i), hit.value());
        } else if (result instanceof KvResult.Failed) {
          failures++;
        }
      }
      if (failures > 0) {
        LOG.warn("getAll on namespace '{}': {} of {} values could not be decoded and were left"
            + " out; getAllResults reports them", name, failures, results.size());
      }
      return Collections.unmodifiableMap(found);
    });
  }

  @Override
  public CompletableFuture<Map<String, KvResult<V>>> getAllResults(Collection<String> keys) {
    List<String> distinct = Keys.distinct(keys, describeGetAll, logKeys);
    return readMany(distinct, results -> {
      Map<String, KvResult<V>> byKey = new LinkedHashMap<>(mapCapacity(distinct.size()));
      for (int i = 0; i < results.size(); i++) {
        byKey.put(distinct.get(i), results.get(i));
      }
      return Collections.unmodifiableMap(byKey);
    });
  }

  private <R> CompletableFuture<R> readMany(List<String> distinct,
      Function<List<KvResult<V>>, R> shaper) {
    Operation op = store.begin(name, KvOperation.GET_ALL, distinct.size());
    return op.run(() -> distinct.isEmpty() ? CompletableFuture.completedFuture(List.of())
            : reads.getAll().read(op, distinct),
        shaper, results -> found(op, results));
  }

  /** A LinkedHashMap capacity that holds {@code size} entries without resizing. */
  private static int mapCapacity(int size) {
    return size < 3 ? size + 1 : (int) (size / 0.75f) + 1;
  }

  /**
   * Keys the store holds, including those whose value then failed to decode; records those
   * failures on the operation.
   */
  private static <V> int found(Operation op, List<KvResult<V>> results) {
    int found = 0;
    int failed = 0;
    for (KvResult<V> result : results) {
      if (!(result instanceof KvResult.Missing)) {
        found++;
      }
      if (result instanceof KvResult.Failed) {
        failed++;
      }
    }
    op.decodeFailures(failed);
    return found;
  }

  // ---- writes ----

  @Override
  public CompletableFuture<Void> put(String key, V value) {
    return put(key, value, PutOptions.defaults());
  }

  @Override
  public CompletableFuture<Void> put(String key, V value, PutOptions putOptions) {
    return writeOne(key, value, putOptions).thenApply(written -> null);
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, V value, PutOptions putOptions) {
    Validation.notNull(putOptions, "options", Operation.describe(KvOperation.PUT, name));
    return writeOne(key, value, putOptions.ifAbsent());
  }

  private CompletableFuture<Boolean> writeOne(String key, V value, PutOptions putOptions) {
    String describe = Operation.describe(KvOperation.PUT, name);
    Validation.key(key, describe + ": key");
    Validation.notNull(putOptions, "options", describe);
    RawWrite write = encoder.encode(describe, key, value, putOptions, -1);
    Operation op = store.begin(name, KvOperation.PUT, 1);
    return op.run(() -> invalidating(List.of(key),
            () -> backend.write(op, backendNamespace, List.of(write))),
        applied -> applied.get(0),
        applied -> applied.get(0) ? 1 : 0);
  }

  @Override
  public CompletableFuture<Void> putAll(Map<String, ? extends V> entries) {
    return putAll(entries, PutOptions.defaults());
  }

  @Override
  public CompletableFuture<Void> putAll(Map<String, ? extends V> entries, PutOptions putOptions) {
    String describe = Operation.describe(KvOperation.PUT_ALL, name);
    Validation.notNull(entries, "entries", describe);
    Validation.notNull(putOptions, "options", describe);
    // Validate and encode everything first: a bad entry must fail the call before any write.
    List<RawWrite> writes = new ArrayList<>(entries.size());
    int index = 0;
    for (Map.Entry<String, ? extends V> e : entries.entrySet()) {
      Validation.key(e.getKey(), describe + ": " + Keys.subject(e.getKey(), index, logKeys));
      writes.add(encoder.encode(describe, e.getKey(), e.getValue(), putOptions, index));
      index++;
    }
    Operation op = store.begin(name, KvOperation.PUT_ALL, writes.size());
    List<String> keys = writes.stream().map(RawWrite::key).toList();
    return op.run(() -> writes.isEmpty() ? CompletableFuture.completedFuture(List.<Boolean>of())
            : invalidating(keys, () -> backend.write(op, backendNamespace, writes)),
        applied -> null,
        applied -> (int) applied.stream().filter(Boolean::booleanValue).count());
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    String describe = Operation.describe(KvOperation.DELETE, name);
    Validation.key(key, describe + ": key");
    Operation op = store.begin(name, KvOperation.DELETE, 1);
    return op.run(() -> invalidating(List.of(key),
            () -> backend.delete(op, backendNamespace, List.of(key))),
        n -> n > 0,
        Long::intValue);
  }

  @Override
  public CompletableFuture<Long> deleteAll(Collection<String> keys) {
    String describe = Operation.describe(KvOperation.DELETE_ALL, name);
    List<String> distinct = Keys.distinct(keys, describe, logKeys);
    Operation op = store.begin(name, KvOperation.DELETE_ALL, distinct.size());
    return op.run(() -> distinct.isEmpty() ? CompletableFuture.completedFuture(0L)
            : invalidating(distinct, () -> backend.delete(op, backendNamespace, distinct)),
        n -> n,
        Long::intValue);
  }

  // ---- read-modify-write: see ConditionalWrites ----

  @Override
  public CompletableFuture<Optional<KvVersioned<V>>> getVersioned(String key) {
    String describe = Operation.describe(KvOperation.GET_VERSIONED, name);
    Validation.key(key, describe + ": key");
    Operation op = store.begin(name, KvOperation.GET_VERSIONED, 1);
    return op.run(() -> conditional.read(op, key), found -> found,
        found -> found.isPresent() ? 1 : 0);
  }

  @Override
  public CompletableFuture<KvSwap> replace(String key, KvVersion expected, V value) {
    String describe = Operation.describe(KvOperation.REPLACE, name);
    Validation.key(key, describe + ": key");
    Validation.notNull(expected, "expected", describe);
    RawWrite write = conditional.encode(describe, key, value);
    return swapOne(KvOperation.REPLACE, key,
        RawSwap.replace(key, expected.hex(), write.value(), write.expiry()));
  }

  @Override
  public CompletableFuture<KvSwap> deleteIf(String key, KvVersion expected) {
    String describe = Operation.describe(KvOperation.DELETE_IF, name);
    Validation.key(key, describe + ": key");
    Validation.notNull(expected, "expected", describe);
    return swapOne(KvOperation.DELETE_IF, key, RawSwap.delete(key, expected.hex()));
  }

  private CompletableFuture<KvSwap> swapOne(KvOperation operation, String key, RawSwap swap) {
    Operation op = store.begin(name, operation, 1);
    return op.run(() -> conditional.swap(op, swap),
        outcome -> outcome, outcome -> outcome == KvSwap.APPLIED ? 1 : 0);
  }

  @Override
  public CompletableFuture<Optional<V>> update(String key, Function<Optional<V>, Optional<V>> fn) {
    return update(key, fn, UpdateOptions.defaults());
  }

  @Override
  public CompletableFuture<Optional<V>> update(String key, Function<Optional<V>, Optional<V>> fn,
      UpdateOptions updateOptions) {
    String describe = Operation.describe(KvOperation.UPDATE, name);
    Validation.key(key, describe + ": key");
    Validation.notNull(fn, "fn", describe);
    Validation.notNull(updateOptions, "options", describe);
    RuntimeException[] failure = {null};
    Operation op = store.begin(name, KvOperation.UPDATE, 1);
    CompletableFuture<Optional<V>> result = new CompletableFuture<>();
    op.run(() -> conditional.update(op, key, fn, updateOptions, failure),
        after -> after, after -> after.isPresent() ? 1 : 0)
        .whenComplete((after, error) -> {
          if (error == null) {
            result.complete(after);
          } else {
            // What the caller's function did wrong fails the update as it was thrown.
            result.completeExceptionally(failure[0] != null ? failure[0] : error);
          }
        });
    return result;
  }

  // ---- counters: see Counters ----

  @Override
  public CompletableFuture<Long> increment(String key, long delta) {
    return increment(key, delta, CounterOptions.unbounded()).thenApply(KvCount::value);
  }

  @Override
  public CompletableFuture<KvCount> increment(String key, long delta,
      CounterOptions counterOptions) {
    String describe = Operation.describe(KvOperation.INCREMENT, name);
    Validation.key(key, describe + ": key");
    Validation.notNull(counterOptions, "options", describe);
    RawIncrement increment = counters.prepare(describe, key, delta, counterOptions);
    Operation op = store.begin(name, KvOperation.INCREMENT, 1);
    return op.run(() -> invalidating(List.of(key), () -> counters.run(op, increment)),
        count -> counters.outcome(describe, increment, count),
        count -> count.status() == RawCount.Status.APPLIED ? 1 : 0);
  }

  /**
   * Runs a write or delete bracketed in this store's near caches of the namespace: its keys are
   * dropped before it is sent and again when it completes, before the caller's future does,
   * whatever the outcome, and nothing read while it is in flight is kept. On success that is
   * read-your-writes. On failure the write may still be applied (a timeout or a lost connection
   * leaves the outcome unknown, and the store may apply it later), so the next read must go to
   * the store rather than trust what was cached before.
   */
  private <T> CompletableFuture<T> invalidating(Collection<String> keys,
      Supplier<CompletableFuture<T>> write) {
    return writes.around(keys, write);
  }

  // ---- listing: see NamespaceListing ----

  @Override
  public CompletableFuture<KvPage> list(ListOptions listOptions) {
    return listing.list(listOptions);
  }

  @Override
  public CompletableFuture<KvValuePage<V>> listValues(ListOptions listOptions) {
    return listing.listValues(listOptions);
  }

  @Override
  public CompletableFuture<Long> reindex() {
    Operation op = store.begin(name, KvOperation.REINDEX, 0);
    return op.run(() -> backend.reindex(op, backendNamespace), n -> n, Long::intValue);
  }
}
