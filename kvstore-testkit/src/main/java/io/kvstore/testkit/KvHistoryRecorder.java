package io.kvstore.testkit;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.KvNamespace;
import io.kvstore.KvSwap;
import io.kvstore.PutOptions;
import io.kvstore.KvValidationException;
import io.kvstore.KvVersion;
import io.kvstore.KvVersioned;
import io.kvstore.testkit.internal.linearizability.HistoryOp;
import io.kvstore.testkit.internal.linearizability.LinearizabilityChecker;
import io.kvstore.testkit.internal.linearizability.OpKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Records a concurrent history of single-key operations on a namespace of strings, then checks
 * that it is linearizable, as Jepsen and Porcupine check a store: every operation must appear to
 * take effect at one instant between its invocation and its return, each key acting as one
 * register. Call the verbs below from as many threads as you like, instead of the namespace's
 * own; each call goes to the namespace's blocking view and is recorded with
 * {@link System#nanoTime()} before and after.
 *
 * <pre>{@code
 * KvHistoryRecorder history = KvHistoryRecorder.of(ns);
 * // from several threads:
 * history.put("k1", "v-" + thread + "-" + i);
 * history.getVersioned("k1").ifPresent(r -> history.replace("k1", r.version(), "w-" + i));
 * // afterwards:
 * LinearizabilityReport report = history.check();
 * assertTrue(report.linearizable(), report::toString);
 * }</pre>
 *
 * <p>A write that fails with anything but {@link KvValidationException} (a timeout, a lost
 * connection) is recorded as possibly applied: it may take effect at any point after its
 * invocation, or never. A read that fails is left out. Exceptions are rethrown to the caller.
 *
 * <p>Write distinct values (a thread and a counter in each): a version is the digest of the
 * value, so the checker, like the store, tells writes apart only by what they wrote. A
 * {@code replace} or {@code deleteIf} must name a version read through this recorder. The
 * checker's cost grows with the operations in flight at once: a few threads and a few hundred
 * operations per key check in milliseconds; a history holds at most
 * {@value #MAX_OPERATIONS} operations.
 *
 * <p>Thread-safe. It does not own the namespace.
 */
public final class KvHistoryRecorder {
  /** The most operations one history records. */
  public static final int MAX_OPERATIONS = 20_000;

  private final BlockingKvNamespace<String> ns;
  private final AtomicInteger ids = new AtomicInteger();
  private final ConcurrentLinkedQueue<HistoryOp> history = new ConcurrentLinkedQueue<>();
  private final Map<KvVersion, String> versions = new ConcurrentHashMap<>();

  private KvHistoryRecorder(KvNamespace<String> ns) {
    this.ns = ns.blocking();
  }

  /**
   * Starts an empty history on a namespace.
   *
   * @param ns a namespace of strings; not closed by the recorder
   * @return the recorder
   */
  public static KvHistoryRecorder of(KvNamespace<String> ns) {
    return new KvHistoryRecorder(Objects.requireNonNull(ns, "ns"));
  }

  /**
   * Reads a key, recorded.
   *
   * @param key the key
   * @return the value, or empty
   */
  public Optional<String> get(String key) {
    return record(OpKind.GET, key, null, null, () -> ns.get(key), r -> r);
  }

  /**
   * Reads a key with its version, recorded as a read; the version can then be passed to
   * {@link #replace} and {@link #deleteIf}.
   *
   * @param key the key
   * @return the value and its version, or empty
   */
  public Optional<KvVersioned<String>> getVersioned(String key) {
    Optional<KvVersioned<String>> read = record(OpKind.GET, key, null, null,
        () -> ns.getVersioned(key), r -> r.map(KvVersioned::value));
    read.ifPresent(r -> versions.put(r.version(), r.value()));
    return read;
  }

  /**
   * Writes a key, recorded.
   *
   * @param key the key
   * @param value the value, distinct from every other written in the history
   */
  public void put(String key, String value) {
    record(OpKind.PUT, key, value, null, () -> {
      ns.put(key, value);
      return Boolean.TRUE;
    }, r -> null);
  }

  /**
   * Writes a key only if it is absent, recorded.
   *
   * @param key the key
   * @param value the value, distinct from every other written in the history
   * @return whether it wrote
   */
  public boolean putIfAbsent(String key, String value) {
    return record(OpKind.PUT_IF_ABSENT, key, value, null,
        () -> ns.putIfAbsent(key, value, PutOptions.defaults()), r -> r);
  }

  /**
   * Writes a key only if it still holds the version read, recorded.
   *
   * @param key the key
   * @param expected a version read through {@link #getVersioned}
   * @param value the value, distinct from every other written in the history
   * @return the outcome
   * @throws IllegalArgumentException if the version was not read through this recorder
   */
  public KvSwap replace(String key, KvVersion expected, String value) {
    return record(OpKind.REPLACE, key, value, valueOf(expected),
        () -> ns.replace(key, expected, value), r -> r);
  }

  /**
   * Deletes a key, recorded.
   *
   * @param key the key
   * @return whether it existed
   */
  public boolean delete(String key) {
    return record(OpKind.DELETE, key, null, null, () -> ns.delete(key), r -> r);
  }

  /**
   * Deletes a key only if it still holds the version read, recorded.
   *
   * @param key the key
   * @param expected a version read through {@link #getVersioned}
   * @return the outcome
   * @throws IllegalArgumentException if the version was not read through this recorder
   */
  public KvSwap deleteIf(String key, KvVersion expected) {
    return record(OpKind.DELETE_IF, key, null, valueOf(expected),
        () -> ns.deleteIf(key, expected), r -> r);
  }

  /**
   * Returns how many operations are recorded so far, outcome-unknown ones included.
   *
   * @return the count
   */
  public int operations() {
    return history.size();
  }

  /**
   * Checks the history recorded so far; call it once the threads are done.
   *
   * @return the verdict, with the violating key and an excerpt when not linearizable
   */
  public LinearizabilityReport check() {
    return LinearizabilityChecker.check(new ArrayList<>(history),
        LinearizabilityChecker.DEFAULT_BUDGET);
  }

  private String valueOf(KvVersion expected) {
    String value = versions.get(Objects.requireNonNull(expected, "expected"));
    if (value == null) {
      throw new IllegalArgumentException("version " + expected + " was not read through this"
          + " recorder's getVersioned; the checker needs the value it stands for");
    }
    return value;
  }

  private <T> T record(OpKind kind, String key, @Nullable String value,
      @Nullable String expected, Supplier<T> call, Function<T, @Nullable Object> output) {
    int id = ids.getAndIncrement();
    if (id >= MAX_OPERATIONS) {
      throw new IllegalStateException("a history records at most " + MAX_OPERATIONS
          + " operations, so that checking it stays fast; record several shorter ones");
    }
    String thread = Thread.currentThread().getName();
    long invoked = System.nanoTime();
    T result;
    try {
      result = call.get();
    } catch (KvValidationException rejected) {
      throw rejected;                 // refused before anything was sent
    } catch (RuntimeException e) {
      if (kind.writes()) {
        history.add(new HistoryOp(id, thread, kind, key, value, expected, null, invoked,
            HistoryOp.UNKNOWN));
      }
      throw e;
    }
    long returned = System.nanoTime();
    history.add(new HistoryOp(id, thread, kind, key, value, expected, output.apply(result),
        invoked, returned));
    return result;
  }
}
