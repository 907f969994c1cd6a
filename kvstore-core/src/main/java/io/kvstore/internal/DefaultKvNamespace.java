package io.kvstore.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kvstore.BlockingKvNamespace;
import io.kvstore.DecodeFailure;
import io.kvstore.KvCodecException;
import io.kvstore.KvEntry;
import io.kvstore.KvKey;
import io.kvstore.KvNamespace;
import io.kvstore.KvOperation;
import io.kvstore.KvPage;
import io.kvstore.KvResult;
import io.kvstore.KvValidationException;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.SchemaOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.internal.codec.VersionedCodec;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.Expiry;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.kvstore.spi.ReadRequest;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The typed namespace over a backend. Everything a backend should not have to repeat lives
 * here: argument validation (all of it before the first byte is sent), encoding, decoding one key
 * at a time so one bad value never fails its batch, TTL resolution with jitter, cursor wrapping,
 * and the client-side prefix check that backs up the backend's listing.
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
  private final NearCache<V> nearCache;
  /** Writes migrated values back; null unless the schema asks for read-repair. */
  private final ReadRepair readRepair;
  private final String describeGet;
  private final String describeGetAll;
  /** Batches concurrent single gets; null when the namespace does not coalesce them. */
  private final GetCoalescer coalescer;

  DefaultKvNamespace(DefaultKvStore store, NamespaceOptions<V> options) {
    this.store = store;
    this.options = options;
    this.name = options.name();
    this.nearCache = options.nearCache().map(nc -> store.nearCache(options, nc)).orElse(null);
    this.backendNamespace = new BackendNamespace(name, options.listing(), nearCache != null);
    this.backend = store.backend();
    this.blocking = new DefaultBlockingKvNamespace<>(this);
    this.describeGet = Operation.describe(KvOperation.GET, name);
    this.describeGetAll = Operation.describe(KvOperation.GET_ALL, name);
    this.readRepair = options.codec() instanceof VersionedCodec<V> versioned
        && options.schema().map(SchemaOptions::readRepair).orElse(false)
        ? new ReadRepair(versioned, backend, backendNamespace, options.maxValueBytes()) : null;
    boolean withExpiration = nearCache != null;
    this.coalescer = options.coalesceGets().orElse(store.coalesceGets())
        ? new GetCoalescer((call, batch) -> read(call,
            new ReadRequest(batch, slide(), withExpiration)), store.logKeys())
        : null;
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
  //
  // A read's outcome per distinct key is one slot of an Object[] aligned with the keys: the value,
  // null when the key is missing, or a DecodeFailed. The caller's shape (an Optional, a map of
  // values, a map of KvResults) is built from it once, with no map in between.

  /** A value that could not be decoded: fails its key alone. */
  private record DecodeFailed(KvCodecException error) {}

  @Override
  public CompletableFuture<Optional<V>> get(String key) {
    checkKey(key, describeGet, -1);
    Operation op = store.begin(name, KvOperation.GET, 1, coalescer != null);
    List<String> keys = List.of(key);
    return op.run(() -> fetch(op, describeGet, keys),
        outcomes -> {
          Object outcome = outcomes[0];
          if (outcome instanceof DecodeFailed failed) {
            if (options.onDecodeFailure() == DecodeFailure.MISS) {
              return Optional.empty();
            }
            throw failed.error();
          }
          return Optional.ofNullable(value(outcome));
        },
        outcomes -> foundCount(op, outcomes));
  }

  @Override
  public CompletableFuture<Map<String, V>> getAll(Collection<String> keys) {
    List<String> distinct = distinctKeys(keys, describeGetAll);
    return readMany(distinct, outcomes -> {
      Map<String, V> found = new LinkedHashMap<>(mapCapacity(distinct.size()));
      int failures = 0;
      for (int i = 0; i < outcomes.length; i++) {
        Object outcome = outcomes[i];
        if (outcome instanceof DecodeFailed) {
          failures++;
        } else if (outcome != null) {
          found.put(distinct.get(i), value(outcome));
        }
      }
      if (failures > 0) {
        LOG.warn("getAll on namespace '{}': {} of {} values could not be decoded and were left"
            + " out; getAllResults reports them", name, failures, outcomes.length);
      }
      return Collections.unmodifiableMap(found);
    });
  }

  @Override
  public CompletableFuture<Map<String, KvResult<V>>> getAllResults(Collection<String> keys) {
    List<String> distinct = distinctKeys(keys, describeGetAll);
    return readMany(distinct, outcomes -> {
      Map<String, KvResult<V>> results = new LinkedHashMap<>(mapCapacity(distinct.size()));
      for (int i = 0; i < outcomes.length; i++) {
        Object outcome = outcomes[i];
        results.put(distinct.get(i), outcome instanceof DecodeFailed failed
            ? new KvResult.Failed<>(failed.error())
            : outcome == null ? new KvResult.Missing<>() : new KvResult.Found<>(value(outcome)));
      }
      return Collections.unmodifiableMap(results);
    });
  }

  private <R> CompletableFuture<R> readMany(List<String> distinct, Function<Object[], R> shaper) {
    Operation op = store.begin(name, KvOperation.GET_ALL, distinct.size());
    return op.run(() -> fetch(op, describeGetAll, distinct), shaper,
        outcomes -> foundCount(op, outcomes));
  }

  @SuppressWarnings("unchecked")
  private V value(Object outcome) {
    return (V) outcome;
  }

  /** A LinkedHashMap capacity that holds {@code size} entries without resizing. */
  private static int mapCapacity(int size) {
    return size < 3 ? size + 1 : (int) (size / 0.75f) + 1;
  }

  /**
   * Keys the store holds, including those whose value then failed to decode; records those
   * failures on the operation.
   */
  private static int foundCount(Operation op, Object[] outcomes) {
    int found = 0;
    int failed = 0;
    for (Object outcome : outcomes) {
      if (outcome != null) {
        found++;
      }
      if (outcome instanceof DecodeFailed) {
        failed++;
      }
    }
    op.decodeFailures(failed);
    return found;
  }

  /**
   * Reads distinct keys: through the near cache when there is one, else in one backend batch.
   * Each value is decoded on its own, so a bad one fails only its key.
   *
   * @return one outcome per key, in the order of {@code keys}
   */
  private CompletableFuture<Object[]> fetch(Operation op, String describe, List<String> keys) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(new Object[0]);
    }
    if (nearCache != null) {
      return fetchThroughNearCache(op, describe, keys);
    }
    return readMisses(op, keys, false)
        .thenCompose(values -> decodeAll(describe, keys, values));
  }

  /**
   * Reads keys the near cache (if any) does not hold: a single {@code get}'s key through the
   * coalescer when the namespace has one, so concurrent gets share a batch; anything else in
   * one backend call of its own.
   */
  private CompletableFuture<List<RawValue>> readMisses(Operation op, List<String> keys,
      boolean withExpiration) {
    if (coalescer != null && keys.size() == 1 && op.operation() == KvOperation.GET) {
      return coalescer.get(op, keys.get(0)).thenApply(Collections::singletonList);
    }
    return read(op, new ReadRequest(keys, slide(), withExpiration));
  }

  /** Reads from the store; with read-repair on, first writes back values it had to migrate. */
  private CompletableFuture<List<RawValue>> read(BackendCall op, ReadRequest request) {
    CompletableFuture<List<RawValue>> values = backend.read(op, backendNamespace, request);
    return readRepair == null ? values
        : values.thenCompose(raw -> readRepair.repair(op, request.keys(), raw));
  }

  /**
   * Decodes a read's values where the store's {@link Decoder} says: inline when small, else off
   * the thread that completed the read (a Redis I/O thread), in parallel slices.
   */
  private CompletableFuture<Object[]> decodeAll(String describe, List<String> keys,
      List<RawValue> values) {
    return store.decoder().decode(values.size(),
        i -> values.get(i) == null ? 0 : values.get(i).bytes().length,
        i -> values.get(i) == null ? null : outcome(describe, keys.get(i), values.get(i).bytes()));
  }

  /** The decoded value, or a {@link DecodeFailed}. */
  private Object outcome(String describe, String key, byte[] bytes) {
    try {
      return decode(describe, key, bytes);
    } catch (KvCodecException e) {
      return new DecodeFailed(e);
    }
  }

  /**
   * Hits are answered locally; the misses of this call go to the store in one batch, and keys
   * another call is already loading are joined, not fetched again. When every key is a hit, the
   * answer is built straight from the cached entries, without Caffeine's bulk-load machinery.
   */
  private CompletableFuture<Object[]> fetchThroughNearCache(Operation op, String describe,
      List<String> keys) {
    Object[] outcomes = new Object[keys.size()];
    List<String> pending = null;
    for (int i = 0; i < outcomes.length; i++) {
      NearCache.Cached<V> entry = nearCache.getIfReady(keys.get(i));
      if (entry instanceof NearCache.Hit<V> hit) {
        outcomes[i] = NearCache.handOut(hit.value());
      } else if (!(entry instanceof NearCache.Absent)) {
        if (pending == null) {
          pending = new ArrayList<>();
        }
        pending.add(keys.get(i));
      }
    }
    if (pending == null) {
      op.nearCache(keys.size(), 0);
      return CompletableFuture.completedFuture(outcomes);
    }
    List<String> notReady = pending;
    AtomicInteger misses = new AtomicInteger();
    return nearCache.getAll(notReady, batch -> {
      misses.set(batch.size());
      store.nearCacheLoaded();
      return readMisses(op, batch, true)
          .thenCompose(values -> decodeAll(describe, batch, values)
              .thenApply(decoded -> {
            Map<String, NearCache.Cached<V>> loaded = new HashMap<>(batch.size() * 2);
            for (int i = 0; i < batch.size(); i++) {
              RawValue raw = values.get(i);
              Object outcome = decoded[i];
              if (outcome instanceof DecodeFailed failed) {
                loaded.put(batch.get(i), new NearCache.Failed<>(failed.error()));
              } else if (outcome != null) {
                loaded.put(batch.get(i), nearCache.hit(value(outcome), raw.expiration(),
                    raw.bytes().length));
              } else if (nearCache.cachesMissingKeys()) {
                loaded.put(batch.get(i), new NearCache.Absent<>());
              }
            }
            return loaded;
          }));
    }).thenApply(cached -> {
      op.nearCache(keys.size() - misses.get(), misses.get());
      for (int i = 0; i < outcomes.length; i++) {
        NearCache.Cached<V> entry = cached.get(keys.get(i));
        if (entry instanceof NearCache.Hit<V> hit) {
          outcomes[i] = NearCache.handOut(hit.value());
        } else if (entry instanceof NearCache.Failed<V> failed) {
          if (!(failed.error() instanceof KvCodecException undecodable)) {
            throw failed.error(); // the store failed the load: the whole operation fails
          }
          outcomes[i] = new DecodeFailed(undecodable);
        }
      }
      return outcomes;
    });
  }

  // ---- writes ----

  @Override
  public CompletableFuture<Void> put(String key, V value) {
    return put(key, value, PutOptions.defaults());
  }

  @Override
  public CompletableFuture<Void> put(String key, V value, PutOptions putOptions) {
    return writeOne(KvOperation.PUT, key, value, putOptions).thenApply(written -> null);
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, V value, PutOptions putOptions) {
    checkNotNull(putOptions, "options", Operation.describe(KvOperation.PUT, name));
    return writeOne(KvOperation.PUT, key, value, putOptions.ifAbsent());
  }

  private CompletableFuture<Boolean> writeOne(KvOperation kind, String key, V value,
      PutOptions putOptions) {
    String describe = Operation.describe(kind, name);
    Validation.key(key, describe + ": key");
    checkNotNull(putOptions, "options", describe);
    RawWrite write = encodeWrite(describe, key, value, putOptions, -1);
    Operation op = store.begin(name, kind, 1);
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
    checkNotNull(entries, "entries", describe);
    checkNotNull(putOptions, "options", describe);
    // Validate and encode everything first: a bad entry must fail the call before any write.
    List<RawWrite> writes = new ArrayList<>(entries.size());
    int index = 0;
    for (Map.Entry<String, ? extends V> e : entries.entrySet()) {
      Validation.key(e.getKey(), describe + ": " + subject(e.getKey(), index));
      writes.add(encodeWrite(describe, e.getKey(), e.getValue(), putOptions, index));
      index++;
    }
    Operation op = store.begin(name, KvOperation.PUT_ALL, writes.size());
    if (writes.isEmpty()) {
      return op.run(() -> CompletableFuture.completedFuture(List.<Boolean>of()), a -> null,
          a -> 0);
    }
    List<String> keys = writes.stream().map(RawWrite::key).toList();
    return op.run(() -> invalidating(keys, () -> backend.write(op, backendNamespace, writes)),
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
    List<String> distinct = distinctKeys(keys, describe);
    Operation op = store.begin(name, KvOperation.DELETE_ALL, distinct.size());
    if (distinct.isEmpty()) {
      return op.run(() -> CompletableFuture.completedFuture(0L), n -> n, n -> 0);
    }
    return op.run(() -> invalidating(distinct,
            () -> backend.delete(op, backendNamespace, distinct)),
        n -> n,
        Long::intValue);
  }

  /**
   * Runs a write or delete, dropping its keys from this store's near caches of the namespace
   * before it is sent and again when it completes, before the caller's future does, whatever the
   * outcome. On success that is read-your-writes. On failure the write may still be applied (a
   * timeout or a lost connection leaves the outcome unknown, and the store may apply it later),
   * so the next read must go to the store rather than trust what was cached before.
   */
  private <T> CompletableFuture<T> invalidating(Collection<String> keys,
      Supplier<CompletableFuture<T>> write) {
    store.invalidateLocal(name, keys);
    return write.get().whenComplete((result, error) -> store.invalidateLocal(name, keys));
  }

  // ---- listing ----

  @Override
  public CompletableFuture<KvPage> list(ListOptions listOptions) {
    String describe = Operation.describe(KvOperation.LIST, name);
    ListRequest request = listRequest(listOptions, describe, null);
    String prefix = request.prefix();
    Operation op = store.begin(name, KvOperation.LIST, 0);
    return op.run(() -> backend.list(op, backendNamespace, request),
        page -> {
          List<KvKey> keys = new ArrayList<>(page.items().size());
          for (RawKey raw : page.items()) {
            // Defence in depth: whatever the backend matched, only the prefix's keys leave here.
            if (raw.key().startsWith(prefix)) {
              keys.add(new KvKey(raw.key(), Optional.ofNullable(raw.expiration())));
            }
          }
          Optional<String> cursor = Optional.ofNullable(Cursors.encode(name, prefix, page.next()));
          return new KvPage(keys, cursor, cursor.isEmpty());
        },
        page -> page.items().size());
  }

  @Override
  public CompletableFuture<KvValuePage<V>> listValues(ListOptions listOptions) {
    String describe = Operation.describe(KvOperation.LIST_VALUES, name);
    ListRequest request = listRequest(listOptions, describe, slide());
    String prefix = request.prefix();
    Operation op = store.begin(name, KvOperation.LIST_VALUES, 0);
    return op.run(() -> backend.listValues(op, backendNamespace, request)
            .thenCompose(page -> toValuePage(describe, prefix, page)),
        page -> {
          op.decodeFailures(page.failures().size());
          return page;
        },
        page -> page.entries().size() + page.failures().size());
  }

  private CompletableFuture<KvValuePage<V>> toValuePage(String describe, String prefix,
      RawPage<RawEntry> page) {
    // Defence in depth: whatever the backend matched, only the prefix's keys leave here.
    List<RawEntry> items = page.items().stream().filter(e -> e.key().startsWith(prefix)).toList();
    String cursor = Cursors.encode(name, prefix, page.next());
    return store.decoder().decode(items.size(), i -> items.get(i).bytes().length,
        i -> outcome(describe, items.get(i).key(), items.get(i).bytes())).thenApply(decoded -> {
          List<KvEntry<V>> entries = new ArrayList<>(items.size());
          Map<String, KvCodecException> failures = new LinkedHashMap<>();
          for (int i = 0; i < items.size(); i++) {
            RawEntry raw = items.get(i);
            if (decoded[i] instanceof DecodeFailed failed) {
              failures.put(raw.key(), failed.error());
            } else {
              entries.add(new KvEntry<>(raw.key(), value(decoded[i]),
                  Optional.ofNullable(raw.expiration())));
            }
          }
          return new KvValuePage<>(entries, failures, Optional.ofNullable(cursor), cursor == null);
        });
  }

  private ListRequest listRequest(ListOptions listOptions, String describe, Duration slide) {
    checkNotNull(listOptions, "options", describe);
    String prefix = Validation.prefix(listOptions.prefix(), describe + ": prefix");
    String token = listOptions.cursor()
        .map(c -> Cursors.decode(name, prefix, c, describe))
        .orElse(null);
    return new ListRequest(prefix, listOptions.limit(), token, slide);
  }

  @Override
  public CompletableFuture<Long> reindex() {
    Operation op = store.begin(name, KvOperation.REINDEX, 0);
    return op.run(() -> backend.reindex(op, backendNamespace), n -> n, Long::intValue);
  }

  // ---- helpers ----

  /**
   * Validates every key, then returns them without repeats, in first-seen order. Repeats are
   * rare, so they are looked for in a table of positions probed by the keys' (cached) hash codes,
   * which allocates one int array instead of a set entry per key; the input's own copy is
   * returned unless one is found.
   */
  private List<String> distinctKeys(Collection<String> keys, String describe) {
    checkNotNull(keys, "keys", describe);
    String[] array = keys.toArray(new String[0]);
    for (int i = 0; i < array.length; i++) {
      checkKey(array[i], describe, i);
    }
    if (array.length > 1) {
      int[] slots = new int[Integer.highestOneBit(array.length) << 2];
      int mask = slots.length - 1;
      for (int i = 0; i < array.length; i++) {
        int h = array[i].hashCode();
        int slot = (h ^ (h >>> 16)) & mask;
        while (slots[slot] != 0) {
          if (array[slots[slot] - 1].equals(array[i])) {
            return List.copyOf(new LinkedHashSet<>(Arrays.asList(array)));
          }
          slot = (slot + 1) & mask;
        }
        slots[slot] = i + 1;
      }
    }
    return Arrays.asList(array);
  }

  /**
   * Checks a key; the subject of the message ("keys[3]") is built only when the key breaks a
   * rule.
   *
   * @param index the key's position in a batch, or -1 for a single key
   */
  private void checkKey(String key, String describe, int index) {
    if (!Validation.isPlainKey(key)) {
      Validation.key(key, describe + ": " + (index < 0 ? "key" : subject(key, index)));
    }
  }

  /** Names a key of a batch by position; by value only when the store lets keys be logged. */
  private String subject(String key, int index) {
    String position = "keys[" + index + "]";
    return store.logKeys() && key != null ? position + " '" + abbreviate(key) + "'" : position;
  }

  private String keyForMessage(String key) {
    return store.logKeys() ? "key '" + abbreviate(key) + "'" : "a key (redacted)";
  }

  private static String abbreviate(String key) {
    return key.length() <= 64 ? key : key.substring(0, 64) + "…";
  }

  private static void checkNotNull(Object value, String argument, String describe) {
    if (value == null) {
      throw new KvValidationException(argument, describe + ": " + argument + " is null");
    }
  }

  private RawWrite encodeWrite(String describe, String key, V value, PutOptions putOptions,
      int index) {
    String subject = index < 0 ? "value" : "value of keys[" + index + "]";
    if (value == null) {
      throw new KvValidationException("value", describe + ": " + subject
          + " is null; delete the key instead of writing null");
    }
    byte[] bytes;
    try {
      bytes = options.codec().encode(value);
    } catch (KvValidationException e) {
      throw new KvValidationException(e.argument(), describe + ": " + subject + ": "
          + e.getMessage());
    } catch (RuntimeException e) {
      throw new KvCodecException(key, describe + ": " + subject + " could not be encoded by "
          + options.codec() + ": " + summarize(e), null);
    }
    if (bytes == null) {
      throw new KvCodecException(key, describe + ": " + subject + " encoded to null by "
          + options.codec(), null);
    }
    if (bytes.length > options.maxValueBytes()) {
      throw new KvValidationException("value", describe + ": " + subject + " is "
          + bytes.length + " bytes encoded; this namespace accepts at most "
          + options.maxValueBytes() + " bytes");
    }
    return new RawWrite(key, bytes, expiry(describe, putOptions), putOptions.onlyIfAbsent());
  }

  private Expiry expiry(String describe, PutOptions putOptions) {
    if (putOptions.keepsTtl()) {
      return Expiry.KEEP;
    }
    TtlPolicy policy = putOptions.ttl().orElse(options.ttl());
    return switch (policy.kind()) {
      case NONE -> Expiry.NONE;
      case FIXED, SLIDING -> Expiry.after(jittered(policy));
      case AT -> {
        Instant at = policy.instant().orElseThrow();
        if (!at.isAfter(store.clock().instant())) {
          throw new KvValidationException("ttl", describe + ": ttl instant " + at
              + " is not in the future; the key would be expired when written");
        }
        yield Expiry.at(at);
      }
    };
  }

  /** The read-time TTL extension of a sliding namespace, or null. */
  private Duration slide() {
    TtlPolicy policy = options.ttl();
    return policy.kind() == TtlPolicy.Kind.SLIDING ? jittered(policy) : null;
  }

  private static Duration jittered(TtlPolicy policy) {
    Duration ttl = policy.ttl().orElseThrow();
    if (policy.jitter() == 0) {
      return ttl;
    }
    long millis = ttl.toMillis();
    long cut = (long) (ThreadLocalRandom.current().nextDouble() * policy.jitter() * millis);
    return Duration.ofMillis(Math.max(1, millis - cut));
  }

  private V decode(String describe, String key, byte[] bytes) {
    if (bytes.length > options.maxValueBytes()) {
      throw new KvCodecException(key, describe + ": stored value of " + keyForMessage(key)
          + " is " + bytes.length + " bytes; this namespace reads at most "
          + options.maxValueBytes(), null);
    }
    V value;
    try {
      value = options.codec().decode(bytes);
    } catch (RuntimeException | StackOverflowError e) {
      throw new KvCodecException(key, describe + ": stored value of " + keyForMessage(key)
          + " could not be decoded by " + options.codec() + ": "
          // The versioned codec's messages (versions, migration steps) never quote the value;
          // any other codec's might.
          + (e instanceof KvCodecException schema && options.codec() instanceof VersionedCodec
              ? schema.getMessage() : summarize(e)), null);
    }
    if (value == null) {
      throw new KvCodecException(key, describe + ": stored value of " + keyForMessage(key)
          + " decoded to null by " + options.codec(), null);
    }
    return value;
  }

  /**
   * Describes a codec failure without its message: Jackson messages quote the offending input,
   * which is part of a value and may hold personal data. The type and location are enough to
   * find the problem; the cause is dropped for the same reason.
   */
  private static String summarize(Throwable e) {
    Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
    String summary = t.getClass().getSimpleName();
    if (t instanceof JsonProcessingException json && json.getLocation() != null) {
      summary += " at line " + json.getLocation().getLineNr()
          + ", column " + json.getLocation().getColumnNr();
    }
    return summary;
  }
}
