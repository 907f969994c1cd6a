package io.kvstore.internal.memory;

import io.kvstore.KvSwap;
import io.kvstore.KvValidationException;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.Expiry;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawCount;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawIncrement;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawSwap;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.kvstore.spi.ReadRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The embedded store: one sorted map per namespace, ordered by code point so that prefix listing
 * is a range scan and cursors are simply "the last key returned".
 *
 * <p><b>Round trips.</b> Every backend call is one round trip, carried out on the calling thread;
 * a {@link io.kvstore.SimulatedEdge} in front of it adds the latency of a remote store.
 *
 * <p><b>Expiry.</b> Entries carry an absolute expiry in the store's clock. Reads treat expired
 * entries as absent and remove them; every {@value #SWEEP_EVERY_WRITES} writes an incremental sweep
 * examines up to {@value #SWEEP_BATCH} entries from where the last one stopped, so expired keys
 * that are never read again are still reclaimed, at bounded cost per write.
 *
 * <p>Values are copied on the way in and out: callers of {@code KvCodec.bytes()} cannot mutate
 * what is stored.
 */
public final class InMemoryBackend implements KvBackend {
  static final int SWEEP_EVERY_WRITES = 1024;
  static final int SWEEP_BATCH = 4096;
  private static final long NEVER = Long.MAX_VALUE;

  private record Entry(byte[] value, long expiresAt) {
    boolean expired(long now) {
      return expiresAt <= now;
    }

    Instant expiration() {
      return expiresAt == NEVER ? null : Instant.ofEpochMilli(expiresAt);
    }
  }

  private final Map<String, NavigableMap<String, Entry>> namespaces = new ConcurrentHashMap<>();
  private final Clock clock;
  private final AtomicInteger writesSinceSweep = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String sweepNamespace;
  private volatile String sweepAfter;

  /**
   * Creates the backend.
   *
   * @param clock the clock entries expire by
   */
  public InMemoryBackend(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public CompletableFuture<List<RawValue>> read(BackendCall call, BackendNamespace ns,
      ReadRequest request) {
    return roundTrip(call, () -> {
      NavigableMap<String, Entry> map = map(ns);
      long now = clock.millis();
      List<RawValue> values = new ArrayList<>(request.keys().size());
      for (String key : request.keys()) {
        Entry entry = live(map, key, now);
        if (entry != null && request.slide() != null) {
          Entry slid = new Entry(entry.value, now + request.slide().toMillis());
          entry = map.replace(key, entry, slid) ? slid : live(map, key, now);
        }
        values.add(entry == null ? null
            : new RawValue(entry.value.clone(), request.withExpiration() ? entry.expiration()
                : null));
      }
      return values;
    });
  }

  @Override
  public CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes) {
    return roundTrip(call, () -> {
      NavigableMap<String, Entry> map = map(ns);
      long now = clock.millis();
      List<Boolean> applied = new ArrayList<>(writes.size());
      for (RawWrite w : writes) {
        boolean[] done = {false};
        // ConcurrentSkipListMap may run the function again when another write raced it, so
        // each run sets the outcome: only the last one's is what the map holds.
        map.compute(w.key(), (k, old) -> {
          Entry current = old == null || old.expired(now) ? null : old;
          done[0] = !(w.ifAbsent() && current != null);
          return done[0] ? new Entry(w.value().clone(), expiresAt(w.expiry(), current, now))
              : current;
        });
        applied.add(done[0]);
      }
      if (writesSinceSweep.addAndGet(writes.size()) >= SWEEP_EVERY_WRITES) {
        writesSinceSweep.set(0);
        sweep(now);
      }
      return applied;
    });
  }

  private static long expiresAt(Expiry expiry, Entry current, long now) {
    if (expiry instanceof Expiry.After after) {
      return now + after.ttl().toMillis();
    }
    if (expiry instanceof Expiry.At at) {
      return at.instant().toEpochMilli();
    }
    if (expiry instanceof Expiry.Keep) {
      return current == null ? NEVER : current.expiresAt;
    }
    return NEVER;
  }

  @Override
  public CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns,
      List<String> keys) {
    return roundTrip(call, () -> {
      NavigableMap<String, Entry> map = map(ns);
      long now = clock.millis();
      long deleted = 0;
      for (String key : keys) {
        Entry old = map.remove(key);
        if (old != null && !old.expired(now)) {
          deleted++;
        }
      }
      return deleted;
    });
  }

  @Override
  public CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    checkToken(call, request);
    return roundTrip(call, () -> scan(ns, request, (key, entry) ->
        new RawKey(key, entry.expiration())));
  }

  /** One round trip: the embedded store lists and reads in the same pass. */
  @Override
  public CompletableFuture<RawPage<RawEntry>> listValues(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    checkToken(call, request);
    return roundTrip(call, () -> scan(ns, request, (key, entry) ->
        new RawEntry(key, entry.value.clone(), entry.expiration())));
  }

  /**
   * The token is the last key a page returned, so it starts with the prefix. Each namespace has
   * its own map, so no token could reach another namespace; one outside the prefix could only end
   * the listing early, and is refused instead, before the store is asked, as on every store.
   *
   * @throws KvValidationException if the token is not a key of the prefix
   */
  private static void checkToken(BackendCall call, ListRequest request) {
    if (request.token() != null && !request.token().startsWith(request.prefix())) {
      throw new KvValidationException("cursor", call.describe() + ": cursor names a key outside"
          + " the listed prefix; pass the cursor of the previous page of the same namespace and"
          + " prefix, unchanged");
    }
  }

  private interface ItemMaker<T> {
    T make(String key, Entry entry);
  }

  private <T> RawPage<T> scan(BackendNamespace ns, ListRequest request, ItemMaker<T> maker) {
    NavigableMap<String, Entry> map = map(ns);
    long now = clock.millis();
    String prefix = request.prefix();
    NavigableMap<String, Entry> tail = request.token() == null
        ? map.tailMap(prefix, true) : map.tailMap(request.token(), false);
    List<T> items = new ArrayList<>(Math.min(request.limit(), 64));
    String last = null;
    for (Map.Entry<String, Entry> e : tail.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(prefix)) {
        break;
      }
      Entry entry = e.getValue();
      if (entry.expired(now)) {
        map.remove(key, entry);
        continue;
      }
      if (items.size() == request.limit()) {
        // One more live key exists: the page is full and the listing goes on after `last`.
        return new RawPage<>(items, last);
      }
      if (request.slide() != null) {
        Entry slid = new Entry(entry.value, now + request.slide().toMillis());
        if (map.replace(key, entry, slid)) {
          entry = slid;
        }
      }
      items.add(maker.make(key, entry));
      last = key;
    }
    return new RawPage<>(items, null);
  }

  /**
   * Each swap is one atomic {@code compute}: no write can land between compare and set. A
   * conditional write counts towards the sweep as a put does.
   */
  @Override
  public CompletableFuture<List<KvSwap>> compareAndSet(BackendCall call, BackendNamespace ns,
      List<RawSwap> swaps) {
    return roundTrip(call, () -> {
      NavigableMap<String, Entry> map = map(ns);
      long now = clock.millis();
      List<KvSwap> outcomes = new ArrayList<>(swaps.size());
      for (RawSwap swap : swaps) {
        KvSwap[] outcome = {null};
        map.compute(swap.key(), (k, old) -> {
          Entry current = old == null || old.expired(now) ? null : old;
          outcome[0] = swap.check(current == null ? null : current.value);
          if (outcome[0] != KvSwap.APPLIED) {
            return current;
          }
          byte[] replacement = swap.replacement();
          return replacement == null ? null
              : new Entry(replacement.clone(), expiresAt(swap.expiry(), current, now));
        });
        outcomes.add(outcome[0]);
      }
      if (writesSinceSweep.addAndGet(swaps.size()) >= SWEEP_EVERY_WRITES) {
        writesSinceSweep.set(0);
        sweep(now);
      }
      return outcomes;
    });
  }

  /**
   * One atomic {@code compute}: a created counter gets the increment's expiry, an existing one
   * keeps its own. Counts towards the sweep as a put does.
   */
  @Override
  public CompletableFuture<RawCount> increment(BackendCall call, BackendNamespace ns,
      RawIncrement increment) {
    return roundTrip(call, () -> {
      long now = clock.millis();
      RawCount[] count = {null};
      map(ns).compute(increment.key(), (k, old) -> {
        Entry current = old == null || old.expired(now) ? null : old;
        count[0] = increment.apply(current == null ? null : current.value);
        if (count[0].status() != RawCount.Status.APPLIED) {
          return current;
        }
        return new Entry(count[0].bytes(), current == null
            ? expiresAt(increment.expiry(), null, now) : current.expiresAt);
      });
      if (writesSinceSweep.incrementAndGet() >= SWEEP_EVERY_WRITES) {
        writesSinceSweep.set(0);
        sweep(now);
      }
      return count[0];
    });
  }

  @Override
  public CompletableFuture<Void> ping(BackendCall call) {
    return roundTrip(call, () -> null);
  }

  /** Closes the store: later calls fail with the store-closed error. */
  @Override
  public void close() {
    closed.set(true);
  }

  /** Not a database OpenTelemetry knows: kvstore's own embedded store. */
  @Override
  public String systemName() {
    return "kvstore.memory";
  }

  @Override
  public String toString() {
    return "in-memory";
  }

  private NavigableMap<String, Entry> map(BackendNamespace ns) {
    return namespaces.computeIfAbsent(ns.name(),
        n -> new ConcurrentSkipListMap<>(CodePointOrder.INSTANCE));
  }

  private static Entry live(NavigableMap<String, Entry> map, String key, long now) {
    Entry entry = map.get(key);
    if (entry != null && entry.expired(now)) {
      map.remove(key, entry);
      return null;
    }
    return entry;
  }

  private void sweep(long now) {
    List<String> names = new ArrayList<>(namespaces.keySet());
    if (names.isEmpty()) {
      return;
    }
    String nsName = sweepNamespace != null && namespaces.containsKey(sweepNamespace)
        ? sweepNamespace : names.get(0);
    NavigableMap<String, Entry> map = namespaces.get(nsName);
    NavigableMap<String, Entry> rest = sweepAfter == null ? map : map.tailMap(sweepAfter, false);
    int examined = 0;
    String lastKey = null;
    for (Map.Entry<String, Entry> e : rest.entrySet()) {
      if (examined++ == SWEEP_BATCH) {
        sweepNamespace = nsName;
        sweepAfter = lastKey;
        return;
      }
      if (e.getValue().expired(now)) {
        map.remove(e.getKey(), e.getValue());
      }
      lastKey = e.getKey();
    }
    // This namespace is done: the next sweep starts on the following one.
    int next = (names.indexOf(nsName) + 1) % names.size();
    sweepNamespace = names.get(next);
    sweepAfter = null;
  }

  /** Runs one round trip's work on the calling thread. */
  private <T> CompletableFuture<T> roundTrip(BackendCall call, Supplier<T> work) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(call.storeClosed());
    }
    call.recordRoundTrip(1);
    try {
      return CompletableFuture.completedFuture(work.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** For tests: how many entries, expired or not, the namespace still holds. */
  int storedEntries(String namespace) {
    NavigableMap<String, Entry> map = namespaces.get(namespace);
    return map == null ? 0 : map.size();
  }
}
