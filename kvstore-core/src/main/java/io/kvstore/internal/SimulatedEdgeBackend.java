package io.kvstore.internal;

import io.kvstore.SimulatedEdge;
import io.kvstore.KvSwap;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.ForwardingKvBackend;
import io.kvstore.spi.DaemonThreads;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawCount;
import io.kvstore.spi.RawIncrement;
import io.kvstore.spi.RawSwap;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.kvstore.spi.ReadRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Puts a {@link SimulatedEdge} in front of any backend: each call waits its round trip on a timer,
 * within the cap on calls in flight, and is then sent to the real backend. No thread sleeps: one
 * scheduler thread fires the timers, and the calls are sent from a separate pool, so neither a
 * large batch nor a caller that blocks inside a callback can stall other calls' timers. A call
 * holds its slot under the cap until the real backend answers it.
 */
public final class SimulatedEdgeBackend extends ForwardingKvBackend {
  private final long minLatencyNanos;
  private final long maxLatencyNanos;
  private final RequestGate gate;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kvstore-edge-timer"));
  private final ExecutorService senders = Executors.newCachedThreadPool(DaemonThreads.named("kvstore-edge"));
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Calls not yet sent, so {@link #close()} can fail them. */
  private final Set<Call<?>> pending = ConcurrentHashMap.newKeySet();

  /**
   * Puts the edge in front of a backend.
   *
   * @param delegate the real backend, closed with this one
   * @param edge the simulation
   * @return the backend to use in its place
   */
  public static KvBackend wrap(KvBackend delegate, SimulatedEdge edge) {
    return new SimulatedEdgeBackend(delegate, edge);
  }

  private SimulatedEdgeBackend(KvBackend delegate, SimulatedEdge edge) {
    super(delegate);
    this.minLatencyNanos = edge.minLatency().toNanos();
    this.maxLatencyNanos = edge.maxLatency().toNanos();
    this.gate = new RequestGate(edge.maxConcurrentRequests());
  }

  @Override
  public CompletableFuture<List<RawValue>> read(BackendCall call, BackendNamespace ns,
      ReadRequest request) {
    return roundTrip(call, () -> delegate.read(call, ns, request));
  }

  @Override
  public CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes) {
    return roundTrip(call, () -> delegate.write(call, ns, writes));
  }

  @Override
  public CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns, List<String> keys) {
    return roundTrip(call, () -> delegate.delete(call, ns, keys));
  }

  @Override
  public CompletableFuture<List<KvSwap>> compareAndSet(BackendCall call, BackendNamespace ns,
      List<RawSwap> swaps) {
    return roundTrip(call, () -> delegate.compareAndSet(call, ns, swaps));
  }

  @Override
  public CompletableFuture<RawCount> increment(BackendCall call, BackendNamespace ns,
      RawIncrement increment) {
    return roundTrip(call, () -> delegate.increment(call, ns, increment));
  }

  @Override
  public CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return roundTrip(call, () -> delegate.list(call, ns, request));
  }

  @Override
  public CompletableFuture<RawPage<RawEntry>> listValues(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return roundTrip(call, () -> delegate.listValues(call, ns, request));
  }

  @Override
  public CompletableFuture<Long> reindex(BackendCall call, BackendNamespace ns) {
    return roundTrip(call, () -> delegate.reindex(call, ns));
  }

  @Override
  public CompletableFuture<Void> ping(BackendCall call) {
    return roundTrip(call, () -> delegate.ping(call));
  }

  /**
   * Runs a send task on the timer thread once a request slot is free. The hand-off lets a burst
   * issued in a loop join one batch, and while every slot is taken the gets that arrive join the
   * batch waiting for one, as requests queued behind a Worker's connection cap could be merged.
   * The slot is held until the task runs, then given back for the task's own request to take.
   */
  @Override
  public Executor requestSender() {
    return task -> gate.enter(() -> {
      try {
        timers.execute(() -> {
          gate.release();
          task.run();
        });
      } catch (RejectedExecutionException closing) {
        gate.release();
        task.run();
      }
    });
  }

  /**
   * Every call not yet sent, whether waiting for a slot or for its delay, fails with the
   * store-closed error (it never reached the store, so the caller knows it was not applied); a
   * call already sent completes as the real backend answers it. No caller is left waiting.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      // Set first, then drained: a call registered after the drain sees `closed` and fails
      // itself (see roundTrip), so none slips between the two.
      List<Runnable> waiting = gate.clear();
      for (Call<?> call : pending) {
        call.abandon();
      }
      timers.shutdownNow();
      // What waited for a slot runs now against the closed timers: a call finds itself
      // abandoned, a batch's send task sends its read, which fails with the store-closed error.
      waiting.forEach(Runnable::run);
      senders.shutdown();
      delegate.close();
    }
  }

  @Override
  public String toString() {
    return delegate + " behind a simulated edge";
  }

  private <T> CompletableFuture<T> roundTrip(BackendCall backendCall,
      Supplier<CompletableFuture<T>> send) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(backendCall.storeClosed());
    }
    Call<T> call = new Call<>(backendCall, send);
    pending.add(call);
    if (closed.get()) {
      // close() may have drained `pending` before this call was added.
      call.abandon();
      return call.future;
    }
    gate.enter(call::schedule);
    return call.future;
  }

  private long delayNanos() {
    return minLatencyNanos == maxLatencyNanos ? minLatencyNanos
        : ThreadLocalRandom.current().nextLong(minLatencyNanos, maxLatencyNanos + 1);
  }

  /**
   * One simulated round trip. It is sent or abandoned exactly once: whichever of the timer and
   * {@link #close()} claims it first decides, so nothing is sent for a caller that was already
   * told the store closed.
   */
  private final class Call<T> {
    private final BackendCall backendCall;
    private final Supplier<CompletableFuture<T>> send;
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final AtomicBoolean claimed = new AtomicBoolean();

    Call(BackendCall backendCall, Supplier<CompletableFuture<T>> send) {
      this.backendCall = backendCall;
      this.send = send;
    }

    /** Starts the delay; called once a slot is held. */
    void schedule() {
      try {
        timers.schedule(this::fire, delayNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closing) {
        abandon();
        gate.release();
      }
    }

    /**
     * Claims the call on the timer thread and sends it from the sender pool: a 10,000-key read
     * must not hold the one timer thread, or every other call's delay would end late.
     */
    private void fire() {
      if (!claimed.compareAndSet(false, true)) {
        return;
      }
      pending.remove(this);
      try {
        senders.execute(this::sendNow);
      } catch (RejectedExecutionException closing) {
        sendNow();
      }
    }

    private void sendNow() {
      CompletableFuture<T> sent;
      try {
        sent = send.get();
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sent.whenComplete((value, error) -> {
        gate.release();
        if (error != null) {
          future.completeExceptionally(error);
        } else {
          future.complete(value);
        }
      });
    }

    /** Fails the call if it has not been sent. */
    void abandon() {
      if (claimed.compareAndSet(false, true)) {
        pending.remove(this);
        future.completeExceptionally(backendCall.storeClosed());
      }
    }
  }
}
