package io.kvstore.internal;

import io.kvstore.KvOperation;
import io.kvstore.KvTimeoutException;
import io.kvstore.KvUnavailableException;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.Failures;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.RawValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

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
 * <p><b>The trigger: the store's next chance to send, never a reply, never a timer.</b> The
 * first get of a batch hands one send task to the store's {@link KvBackend#requestSender()}
 * (on Redis, the I/O thread that writes the connection, which every command reaches through a
 * hand-off anyway; as Netty's {@code FlushConsolidationHandler} schedules one flush task on the
 * event loop, and ioredis sends what one event-loop tick queued). The gets issued before that
 * task runs join the batch; the task takes the batch and sends it, and the next get starts a new
 * one, sent at once after it, not after its reply: a burst issued together is one round trip on
 * any link, and a lone get pays only the hand-off its client would have made. When the task
 * runs while gets are still joining (a second one has, and the last less than
 * {@value #QUIET_NANOS} ns ago: a loop issuing a burst on another core), it hands itself off
 * again, for at most {@value #MAX_HOLD_NANOS} ns after the batch began, so the burst finishes
 * joining before it leaves instead of leaving in two; a lone get is sent when the task first
 * runs, never held. A sender that runs the task in place is never yielded to. On the embedded store the task waits for
 * one of the edge's request slots, so gets that wait for a slot join the batch too; on a store
 * that answers in place (the default sender runs the task at once) each get is its own batch.
 *
 * <p><b>Per caller.</b> Keys repeated across callers are read once and handed to each. A
 * batch's read returns raw values; each caller decodes its own, so one undecodable value fails
 * only its own callers, and a failed batch fails only the callers in it. Validation happens in
 * the caller's {@code get} before anything is queued. A batch the store refuses for one key's
 * sake (an argument the adapter rejects, such as a key its partition function fails on; an
 * error reply, such as a key of another type under a sliding TTL) is read again caller by
 * caller, so only that key's callers fail; a batch that fails because the store is unreachable
 * or slow is not, so an outage never multiplies the commands sent.
 *
 * <p><b>Accounting.</b> Every caller keeps its own {@link Operation}, so listeners see one
 * {@code get} event per caller, with its own duration and outcome. The batch's backend call
 * records its round trips on the operation of the batch's first caller only, so the sum of
 * round trips over events ({@code stats()}, {@code KvRoundTrips}) is the requests the store was
 * sent: 64 gets issued together show as 64 events with one round trip between them (one per
 * batch, if a burst was interrupted long enough to leave in two), while a loop that awaits each
 * get still shows 64.
 *
 * <p>Thread-safe: one lock guards the batch being formed, never held while sending or
 * completing.
 */
final class GetCoalescer {
  /**
   * Gets that join closer together than this are a burst still being issued: a warm loop of
   * {@code get}s issues one every quarter of a microsecond or so (64 in about 17 us, measured),
   * while waking an idle I/O thread takes several.
   */
  static final long QUIET_NANOS = 1_000;

  /**
   * The longest a send task keeps yielding to a burst, from the batch's first get: enough for a
   * few hundred gets issued in a loop, short beside any round trip, so a steady stream of gets
   * cannot hold a batch back.
   */
  static final long MAX_HOLD_NANOS = 100_000;

  /**
   * One caller's get: its operation, its key and the future it waits on, completed with a list
   * of the one value, as the read path takes it (no stage of its own to wrap it).
   */
  private record Waiter(Operation op, String key, CompletableFuture<List<RawValue>> future) {
    void complete(RawValue value) {
      future.complete(Collections.singletonList(value));
    }
  }

  private final StoreRead reader;
  private final Executor sender;
  private final boolean logKeys;
  private final Object lock = new Object();
  /** The batch being formed, {@code null} when none is: its send task is handed off. */
  private List<Waiter> forming;
  /** When the batch being formed began, and when its last get joined ({@code nanoTime}). */
  private long formedAt;
  private long lastJoinedAt;

  /**
   * A coalescer for one namespace.
   *
   * @param reader reads a batch
   * @param sender runs a batch's send task at the store's next chance to send
   * @param logKeys whether each caller's operation should remember its key for the slow log
   */
  GetCoalescer(StoreRead reader, Executor sender, boolean logKeys) {
    this.reader = reader;
    this.sender = sender;
    this.logKeys = logKeys;
  }

  /**
   * Reads one key with the batch being formed, or starts one.
   *
   * @param op the caller's operation
   * @param key the validated key
   * @return the key's raw value (a list of one, holding {@code null} when missing); fails when
   *     its batch failed
   */
  CompletableFuture<List<RawValue>> get(Operation op, String key) {
    Waiter waiter = new Waiter(op, key, new CompletableFuture<>());
    if (logKeys) {
      op.sentKeys(List.of(key), 1);
    }
    long now = System.nanoTime();
    synchronized (lock) {
      lastJoinedAt = now;
      if (forming != null) {
        forming.add(waiter);
        return waiter.future;
      }
      forming = new ArrayList<>();
      forming.add(waiter);
      formedAt = now;
    }
    new SendTask().handOff();
    return waiter.future;
  }

  /** Takes the batch being formed and sends it, after letting a burst still arriving join. */
  private final class SendTask implements Runnable {
    /**
     * Set while this task is being handed to the sender: a task that runs meanwhile runs in
     * place, on the thread handing it off, and must not yield (it would recurse). Read by
     * another thread, it can only make a task send without yielding.
     */
    private volatile boolean handingOff;

    void handOff() {
      handingOff = true;
      try {
        sender.execute(this);
      } catch (RejectedExecutionException closing) {
        run();
      } finally {
        handingOff = false;
      }
    }

    @Override
    public void run() {
      boolean inPlace = handingOff;
      List<Waiter> batch;
      synchronized (lock) {
        long now = System.nanoTime();
        if (!inPlace && forming.size() > 1 && now - lastJoinedAt < QUIET_NANOS
            && now - formedAt < MAX_HOLD_NANOS) {
          batch = null;
        } else {
          batch = forming;
          forming = null;
        }
      }
      if (batch == null) {
        handOff();
      } else {
        send(batch);
      }
    }
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
      if (error != null && keys.size() > 1 && refusedForOneKey(error)) {
        readAlone(batch);
        return;
      }
      boolean[] handedOut = positions == null ? null : new boolean[keys.size()];
      for (Waiter waiter : batch) {
        if (error != null) {
          waiter.future.completeExceptionally(error);
        } else if (positions == null) {
          waiter.complete(values.get(0));
        } else {
          int at = positions.get(waiter.key);
          waiter.complete(handOut(values.get(at), handedOut[at]));
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
            waiters.get(i).complete(handOut(values.get(0), i > 0));
          }
        }
      });
    });
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
