package io.kvstore.spi;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * What a store adapter implements: byte-level batch operations on validated keys. Each method is
 * one logical operation and should cost as few round trips as the store allows (one for reads,
 * writes and deletes of any size); report each with {@link BackendCall#recordRoundTrip(int)}.
 *
 * <p>Implementations are thread-safe and complete futures exceptionally with a
 * {@link io.kvstore.KvException} subclass: {@link io.kvstore.KvTimeoutException} or
 * {@link io.kvstore.KvUnavailableException}, naming {@link BackendCall#describe()}.
 */
public interface KvBackend extends AutoCloseable {
  /**
   * Returns the clock that absolute expiries are checked against.
   *
   * @return the clock
   */
  Clock clock();

  /**
   * Reads keys in one round trip.
   *
   * @param call the logical operation
   * @param ns the namespace
   * @param request distinct keys, sliding TTL and whether to report expirations
   * @return one element per key in request order: the value, or {@code null} if absent
   */
  CompletableFuture<List<@Nullable RawValue>> read(BackendCall call, BackendNamespace ns,
      ReadRequest request);

  /**
   * Writes keys in one round trip.
   *
   * @param call the logical operation
   * @param ns the namespace
   * @param writes the writes, distinct keys
   * @return one element per write: whether it was applied ({@code false} only for an
   *     {@code ifAbsent} write of an existing key)
   */
  CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes);

  /**
   * Deletes keys in one round trip.
   *
   * @param call the logical operation
   * @param ns the namespace
   * @param keys distinct keys
   * @return how many existed
   */
  CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns, List<String> keys);

  /**
   * Applies conditional writes, each atomic on its own against what the key holds (see
   * {@link RawSwap}): compare the stored bytes' SHA-1 (or their absence) and, only if it matches,
   * store the replacement with its expiry or delete the key; one round trip for the batch.
   * Successful swaps are writes: a backend with an {@link InvalidationBus} publishes their keys
   * as it publishes a {@link #write}'s, except for a swap made by a read (read repair, whose
   * {@link BackendCall#operation()} is a read), which stores an equivalent value.
   *
   * <p>The namespace uses it for {@code replace}, {@code deleteIf} and {@code update}, and to
   * write back values it migrated on read (read repair) without ever overwriting a newer write.
   * The default fails: a store must compare and set atomically to offer conditional writes.
   *
   * @param call the logical operation
   * @param ns the namespace
   * @param swaps the swaps, distinct keys
   * @return one element per swap: applied, changed or missing
   */
  default CompletableFuture<List<io.kvstore.KvSwap>> compareAndSet(BackendCall call,
      BackendNamespace ns, List<RawSwap> swaps) {
    return CompletableFuture.failedFuture(new io.kvstore.KvException(call.describe()
        + ": this store does not support conditional writes (its KvBackend does not implement"
        + " compareAndSet)"));
  }

  /**
   * Increments one counter atomically (see {@link RawIncrement}), in one round trip: a counter
   * this call creates gets the increment's expiry, an existing one keeps its own. An applied
   * increment is a write: a backend with an {@link InvalidationBus} publishes its key as it
   * publishes a {@link #write}'s. The namespace uses it for {@code increment}.
   *
   * <p>The default fails: a store must read, add and write atomically to offer counters.
   *
   * @param call the logical operation
   * @param ns the namespace
   * @param increment the key, delta, bounds and expiry of a created counter
   * @return the outcome; a stored non-number or an overflow is an outcome, not a failure
   */
  default CompletableFuture<RawCount> increment(BackendCall call, BackendNamespace ns,
      RawIncrement increment) {
    return CompletableFuture.failedFuture(new io.kvstore.KvException(call.describe()
        + ": this store does not support counters (its KvBackend does not implement"
        + " increment)"));
  }

  /**
   * Lists one page of keys with a literal prefix.
   *
   * @param call the logical operation
   * @param ns the namespace
   * @param request prefix, limit and resume token
   * @return the page, never longer than the limit
   */
  CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request);

  /**
   * Lists one page of entries with a literal prefix. The default lists a page, then reads its
   * values in one batch (two round trips) and leaves out keys that vanished in between; backends
   * that can do both in one round trip override it.
   *
   * @param call the logical operation
   * @param ns the namespace
   * @param request prefix, limit, resume token and sliding TTL
   * @return the page, never longer than the limit
   */
  default CompletableFuture<RawPage<RawEntry>> listValues(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return list(call, ns, request).thenCompose(page -> {
      if (page.items().isEmpty()) {
        return CompletableFuture.completedFuture(new RawPage<>(List.of(), page.next()));
      }
      List<String> keys = page.items().stream().map(RawKey::key).toList();
      return read(call, ns, new ReadRequest(keys, request.slide(), false)).thenApply(values -> {
        List<RawEntry> entries = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
          RawValue value = values.get(i);
          if (value != null) {
            entries.add(new RawEntry(keys.get(i), value.bytes(),
                page.items().get(i).expiration()));
          }
        }
        return new RawPage<>(entries, page.next());
      });
    });
  }

  /**
   * Builds the listing index of a namespace written before indexing was on, from the keys the
   * store holds. The default does nothing and returns 0: stores that list in order without an
   * index need none.
   *
   * @param call the logical operation
   * @param ns the namespace, with an indexed listing
   * @return how many keys the index holds afterwards
   */
  default CompletableFuture<Long> reindex(BackendCall call, BackendNamespace ns) {
    return CompletableFuture.completedFuture(0L);
  }

  /**
   * Returns the bus that carries near-cache invalidations between instances, if this store has
   * one. The default has none: a single-process store needs none.
   *
   * @return the bus, or empty
   */
  default java.util.Optional<InvalidationBus> invalidations() {
    return java.util.Optional.empty();
  }

  /**
   * Names the kind of store for tracing, as OpenTelemetry's {@code db.system.name}: adapters over
   * a database OpenTelemetry knows return its well-known name, such as {@code redis}. The
   * default, {@code kvstore}, says only that the operation went through kvstore.
   *
   * @return a short, constant, lower-case name
   */
  default String systemName() {
    return "kvstore";
  }

  /**
   * Returns where a namespace sends a batch of coalesced {@code get}s from: an executor that runs
   * a task at this store's next chance to send a request, after what it is sending now. The gets
   * issued before the task runs join its batch, so a burst issued together leaves as one request,
   * without waiting for any reply and without a timer. A network store returns the I/O thread
   * that writes its connection, so the hand-off replaces the one its client makes anyway; the
   * task must not block. The default runs the task at once on the caller's thread: a store that
   * answers in place has nothing to wait for, and each get is its own batch.
   *
   * @return the executor; it may reject a task when the store is closing, which then runs on the
   *     caller's thread
   */
  default Executor requestSender() {
    return Runnable::run;
  }

  /**
   * Checks that the store answers, in one round trip.
   *
   * @param call the logical operation
   * @return a future completed when the store answered
   */
  CompletableFuture<Void> ping(BackendCall call);

  /** Releases what the backend opened; never what was handed to it. Idempotent. */
  @Override
  void close();
}
