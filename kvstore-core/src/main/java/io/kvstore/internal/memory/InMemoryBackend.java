package io.kvstore.internal.memory;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.Expiry;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawSwap;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.kvstore.spi.ReadRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The embedded store: one sorted map per namespace, ordered by code point so that prefix listing
 * is a range scan and cursors are simply "the last key returned".
 *
 * <p><b>Round trips.</b> Every backend call is one round trip. With simulated latency the work
 * runs when a timer fires, once per call however many keys it carries, so a batch costs one delay
 * and a loop of single gets costs one delay each. No thread sleeps: a single scheduler thread
 * fires the timers, and the work and completions run on a separate pool, so neither a large batch
 * nor a caller that blocks inside a callback can stall other requests' timers.
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
  private final long minLatencyNanos;
  private final long maxLatencyNanos;
  private final RequestGate gate;
  private final ScheduledExecutorService timers;
  private final ExecutorService completions;
  private final AtomicInteger writesSinceSweep = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Simulated requests not yet carried out, so {@link #close()} can fail them. */
  private final Set<Request<?>> pending = ConcurrentHashMap.newKeySet();
  private volatile String sweepNamespace;
  private volatile String sweepAfter;

  /**
   * Creates the backend.
   *
   * @param options latency, concurrency cap and clock
   */
  public InMemoryBackend(InMemoryOptions options) {
    this.clock = options.clock();
    this.minLatencyNanos = options.minLatency().toNanos();
    this.maxLatencyNanos = options.maxLatency().toNanos();
    boolean simulated = maxLatencyNanos > 0
        || options.maxConcurrentRequests() != InMemoryOptions.UNBOUNDED;
    this.gate = options.maxConcurrentRequests() == InMemoryOptions.UNBOUNDED ? null
        : new RequestGate(options.maxConcurrentRequests());
    this.timers = simulated ? Executors.newSingleThreadScheduledExecutor(
        daemon("kvstore-inmemory-timer")) : null;
    this.completions = simulated ? Executors.newCachedThreadPool(
        daemon("kvstore-inmemory-completion")) : null;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
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
        map.compute(w.key(), (k, old) -> {
          Entry current = old == null || old.expired(now) ? null : old;
          if (w.ifAbsent() && current != null) {
            return current;
          }
          done[0] = true;
          return new Entry(w.value().clone(), expiresAt(w.expiry(), current, now));
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

  /** Each swap is one atomic {@code compute}: no write can land between compare and set. */
  @Override
  public CompletableFuture<List<Boolean>> compareAndSet(BackendCall call, BackendNamespace ns,
      List<RawSwap> swaps) {
    return roundTrip(call, () -> {
      NavigableMap<String, Entry> map = map(ns);
      long now = clock.millis();
      List<Boolean> applied = new ArrayList<>(swaps.size());
      for (RawSwap swap : swaps) {
        boolean[] done = {false};
        map.computeIfPresent(swap.key(), (k, old) -> {
          if (old.expired(now) || !Arrays.equals(old.value, swap.expected())) {
            return old;
          }
          done[0] = true;
          return new Entry(swap.replacement().clone(), old.expiresAt);
        });
        applied.add(done[0]);
      }
      return applied;
    });
  }

  @Override
  public CompletableFuture<Void> ping(BackendCall call) {
    return roundTrip(call, () -> null);
  }

  /**
   * Closes the store. With simulation on, every request not yet carried out, whether waiting for
   * a slot under the cap or for its delay, fails with {@link KvUnavailableException} (it never
   * touched the data, so the caller knows it was not applied); one whose work is already running
   * completes with its result. No caller is left waiting.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && timers != null) {
      // Set first, then drained: a request registered after the drain sees `closed` and fails
      // itself (see roundTrip), so none slips between the two.
      if (gate != null) {
        gate.clear();
      }
      for (Request<?> request : pending) {
        request.abandon();
      }
      timers.shutdownNow();
      completions.shutdown();
    }
  }

  /** Not a database OpenTelemetry knows: kvstore's own embedded store. */
  @Override
  public String systemName() {
    return "kvstore.memory";
  }

  @Override
  public String toString() {
    return "in-memory" + (maxLatencyNanos > 0 ? ", latency "
        + Duration.ofNanos(minLatencyNanos) + ".." + Duration.ofNanos(maxLatencyNanos) : "");
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

  /**
   * Runs one round trip's work: at once without simulation, else after the simulated delay and
   * within the concurrency cap.
   */
  private <T> CompletableFuture<T> roundTrip(BackendCall call, Supplier<T> work) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(closedError(call));
    }
    if (timers == null) {
      call.recordRoundTrip(1);
      try {
        return CompletableFuture.completedFuture(work.get());
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    Request<T> request = new Request<>(call, work);
    pending.add(request);
    if (closed.get()) {
      // close() may have drained `pending` before this request was added.
      request.abandon();
      return request.future;
    }
    if (gate != null) {
      gate.enter(request::schedule);
    } else {
      request.schedule();
    }
    return request.future;
  }

  private static KvUnavailableException closedError(BackendCall call) {
    return new KvUnavailableException(call.describe() + ": the store is closed", null);
  }

  /**
   * One simulated round trip. It is carried out or abandoned exactly once: whichever of the
   * timer and {@link #close()} claims it first decides, so work never runs for a caller that
   * was already told the store closed.
   */
  private final class Request<T> {
    private final BackendCall call;
    private final Supplier<T> work;
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final AtomicBoolean claimed = new AtomicBoolean();

    Request(BackendCall call, Supplier<T> work) {
      this.call = call;
      this.work = work;
    }

    /** Starts the delay; called once a slot is held. */
    void schedule() {
      try {
        timers.schedule(this::fire, delayNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closing) {
        abandon();
        releaseSlot();
      }
    }

    /**
     * Claims the request on the timer thread and does its work on the completion pool: a
     * 10,000-key read must not hold the one timer thread, or every other request's delay would
     * end late. Its slot under the cap is released when the delay ends, so a large batch holds
     * a slot no longer than a small one.
     */
    private void fire() {
      if (!claimed.compareAndSet(false, true)) {
        return;
      }
      pending.remove(this);
      releaseSlot();
      Runnable carryOut = () -> {
        call.recordRoundTrip(1);
        try {
          future.complete(work.get());
        } catch (RuntimeException e) {
          future.completeExceptionally(e);
        }
      };
      try {
        completions.execute(carryOut);
      } catch (RejectedExecutionException closing) {
        carryOut.run();
      }
    }

    /** Fails the request if it has not been carried out. */
    void abandon() {
      if (claimed.compareAndSet(false, true)) {
        pending.remove(this);
        future.completeExceptionally(closedError(call));
      }
    }
  }

  private void releaseSlot() {
    if (gate != null) {
      gate.release();
    }
  }

  private long delayNanos() {
    return minLatencyNanos == maxLatencyNanos ? minLatencyNanos
        : ThreadLocalRandom.current().nextLong(minLatencyNanos, maxLatencyNanos + 1);
  }

  /** For tests: how many entries, expired or not, the namespace still holds. */
  int storedEntries(String namespace) {
    NavigableMap<String, Entry> map = namespaces.get(namespace);
    return map == null ? 0 : map.size();
  }
}
