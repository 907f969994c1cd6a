package io.kvstore.internal;

import io.kvstore.KvOperation;
import io.kvstore.KvTimeoutException;
import io.kvstore.KvUnavailableException;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.Failures;
import io.kvstore.spi.RawValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Turns concurrent single {@code get}s of one namespace into batch reads.
 *
 * <p><b>Why.</b> The fix people reach for when a loop of {@code get}s is slow is to issue them
 * all and wait once ({@code allOf}, {@code Promise.all}); GraphQL resolvers and fan-out services
 * issue single gets from many places at once. Sent one by one, 64 such gets are 64 commands:
 * on Redis they cost the server and both clients about twice what one 64-key {@code MGET}
 * costs, and on an edge store capped at 6 requests in flight they are 11 round trips instead
 * of 1. This class makes them one batch, without the caller doing anything.
 *
 * <p><b>Natural batching, no timer.</b> Java has no event-loop tick to batch "what was issued
 * together", and a timer would delay every lone get by its period. So the trigger is the
 * store itself: at most one batch of a namespace is in flight at a time. A get that finds
 * none in flight is sent at once, as a batch of one: a lone get is never held back. A get
 * that finds one in flight is queued; when the batch in flight completes, everything queued
 * meanwhile goes out together as the next batch, before the completed batch's callers are
 * handed their values. A burst of 64 gets issued in a loop is then two batches (the first
 * get, then the other 63), two round trips, whatever the latency; a steady stream of gets from
 * many threads becomes one batch per round trip, each as large as what arrived during the
 * previous one. Behind a {@link io.kvstore.SimulatedEdge} the batch in flight includes the wait
 * for one of its {@code maxConcurrentRequests} slots, so gets waiting for a slot are merged into
 * the next request too.
 *
 * <p><b>Why one batch in flight, not a few.</b> With k batches allowed in flight, a burst
 * issued in a loop sends its first k gets alone before any queueing starts: k + 1 round trips
 * instead of 2, and on a capped edge store k of its slots. One in flight gives the fewest
 * round trips; what it costs is that a get arriving just after a batch left waits for that
 * batch's round trip before its own, at most two round trips in all, which the batch makes
 * up for by being one command instead of many (see {@code kvstore-bench/README.md}).
 *
 * <p><b>Per caller.</b> Keys repeated across callers are read once and handed to each. A
 * batch's read returns raw values; each caller decodes its own, so one undecodable value fails
 * only its own callers, and a failed batch fails only the callers in it (never the next
 * batch, which is sent independently). Validation happens in the caller's {@code get} before
 * anything is queued. A batch the store refuses for one key's sake (an argument the adapter
 * rejects, such as a key its partition function fails on; an error reply, such as a key of
 * another type under a sliding TTL) is read again caller by caller, so only that key's callers
 * fail; a batch that fails because the store is unreachable or slow is not, so an outage never
 * multiplies the commands sent.
 *
 * <p><b>Under a stalled store.</b> Gets queued behind a batch that the store does not answer
 * wait for it to fail (its timeout) before they are sent as one batch, with its own timeout: a
 * queued get may fail after up to twice the store's timeout, and while it waits it is one
 * small entry here, not a command in the adapter's request queue. A store that is unreachable
 * fails the batch in flight at once, and so each queued batch after it.
 *
 * <p><b>Accounting.</b> Every caller keeps its own {@link Operation}, so listeners see one
 * {@code get} event per caller, with its own duration and outcome. The batch's backend call
 * records its round trips on the operation of the batch's first caller only, so the sum of
 * round trips over events ({@code stats()}, {@code KvRoundTrips}) is what the store did: 64
 * concurrent gets show as 64 events with 2 round trips between them, while a loop that awaits
 * each get still shows 64.
 *
 * <p>Thread-safe: one lock guards the queue and the in-flight flag, never held while sending or
 * completing.
 */
final class GetCoalescer {
  /** One caller's get: its operation, its key and the future it waits on. */
  private record Waiter(Operation op, String key, CompletableFuture<RawValue> future) {}

  private final StoreRead reader;
  private final boolean logKeys;
  private final Object lock = new Object();
  private boolean inFlight;
  private List<Waiter> queued = new ArrayList<>();

  /**
   * A coalescer for one namespace.
   *
   * @param reader reads a batch
   * @param logKeys whether each caller's operation should remember its key for the slow log
   */
  GetCoalescer(StoreRead reader, boolean logKeys) {
    this.reader = reader;
    this.logKeys = logKeys;
  }

  /**
   * Reads one key: at once when no batch of this namespace is in flight, else with the next
   * batch.
   *
   * @param op the caller's operation
   * @param key the validated key
   * @return the key's raw value, {@code null} when missing; fails when its batch failed
   */
  CompletableFuture<RawValue> get(Operation op, String key) {
    Waiter waiter = new Waiter(op, key, new CompletableFuture<>());
    if (logKeys) {
      op.sentKeys(List.of(key), 1);
    }
    synchronized (lock) {
      if (inFlight) {
        queued.add(waiter);
        return waiter.future;
      }
      inFlight = true;
    }
    send(List.of(waiter));
    return waiter.future;
  }

  private void send(List<Waiter> batch) {
    List<String> keys;
    Map<String, Integer> index = null;
    if (batch.size() == 1) {
      keys = List.of(batch.get(0).key);
    } else {
      keys = new ArrayList<>(batch.size());
      index = new HashMap<>(batch.size() * 2);
      for (Waiter waiter : batch) {
        if (index.putIfAbsent(waiter.key, keys.size()) == null) {
          keys.add(waiter.key);
        }
      }
    }
    Operation first = batch.get(0).op;
    BackendCall call = batch.size() == 1 ? first : new BatchCall(first, keys.size());
    CompletableFuture<List<RawValue>> read;
    try {
      read = reader.read(call, keys);
    } catch (RuntimeException e) {
      read = CompletableFuture.failedFuture(e);
    }
    Map<String, Integer> positions = index;
    read.whenComplete((values, error) -> {
      sendQueued();
      if (error != null && keys.size() > 1 && refusedForOneKey(error)) {
        readAlone(batch);
        return;
      }
      boolean[] handedOut = positions == null ? null : new boolean[keys.size()];
      for (Waiter waiter : batch) {
        if (error != null) {
          waiter.future.completeExceptionally(error);
        } else if (positions == null) {
          waiter.future.complete(values.get(0));
        } else {
          int at = positions.get(waiter.key);
          waiter.future.complete(handOut(values.get(at), handedOut[at]));
          handedOut[at] = true;
        }
      }
    });
  }

  /**
   * A value for one caller of its key. Each caller decodes its own bytes: a codec that hands them
   * out as they are ({@code KvCodec.bytes()}) must not give two callers one array.
   *
   * @param again whether another caller of the key already has these bytes
   */
  private static RawValue handOut(RawValue value, boolean again) {
    return again && value != null ? new RawValue(value.bytes().clone(), value.expiration())
        : value;
  }

  /** Whether the store refused the batch for what it holds, not because it is unreachable. */
  private static boolean refusedForOneKey(Throwable error) {
    Throwable cause = Failures.cause(error);
    return !(cause instanceof KvUnavailableException || cause instanceof KvTimeoutException);
  }

  /** Reads each distinct key of a refused batch on its own, for the callers of that key. */
  private void readAlone(List<Waiter> batch) {
    Map<String, List<Waiter>> byKey = new LinkedHashMap<>();
    for (Waiter waiter : batch) {
      byKey.computeIfAbsent(waiter.key, k -> new ArrayList<>()).add(waiter);
    }
    byKey.forEach((key, waiters) -> {
      CompletableFuture<List<RawValue>> alone;
      try {
        alone = reader.read(waiters.get(0).op, List.of(key));
      } catch (RuntimeException e) {
        alone = CompletableFuture.failedFuture(e);
      }
      alone.whenComplete((values, error) -> {
        for (int i = 0; i < waiters.size(); i++) {
          if (error != null) {
            waiters.get(i).future.completeExceptionally(error);
          } else {
            waiters.get(i).future.complete(handOut(values.get(0), i > 0));
          }
        }
      });
    });
  }

  /** Sends what queued while a batch was in flight, or marks none in flight. */
  private void sendQueued() {
    List<Waiter> next;
    synchronized (lock) {
      if (queued.isEmpty()) {
        inFlight = false;
        return;
      }
      next = queued;
      queued = new ArrayList<>();
    }
    send(next);
  }

  /**
   * The backend call of a batch of several gets: a {@code get} on the namespace, of as many keys
   * as the batch holds (so an adapter routes a large batch as it routes a large
   * {@code getAll}), whose round trips are recorded on the first caller's operation.
   */
  private record BatchCall(Operation first, int keyCount) implements BackendCall {
    @Override
    public String namespace() {
      return first.namespace();
    }

    @Override
    public KvOperation operation() {
      return KvOperation.GET;
    }

    @Override
    public void recordRoundTrip(int nodes) {
      first.recordRoundTrip(nodes);
    }

    @Override
    public String describe() {
      return first.describe();
    }
  }
}
