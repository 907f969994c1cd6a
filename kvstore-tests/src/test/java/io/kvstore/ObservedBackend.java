package io.kvstore;

import io.kvstore.internal.memory.ForwardingBackend;
import io.kvstore.internal.memory.InMemoryBackend;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.ReadRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * The real embedded backend, with every read's keys recorded, reads sent between
 * {@link #holdReads} and {@link #releaseReads} held back until the release (as a slow network
 * would), and reads that include {@link #failReadsOf} failed as a lost connection would fail
 * them. Its {@link #requestSender()} holds coalesced batches' send tasks meanwhile too, as a
 * connection busy writing would, so the gets issued while held leave as one batch at the
 * release however fast the test thread runs. Not a mock: every call reaches the real store.
 */
final class ObservedBackend extends ForwardingBackend {
  final List<List<String>> reads = new CopyOnWriteArrayList<>();
  volatile String failReadsOf;
  private volatile CompletableFuture<Void> held;
  /** Send tasks handed over while held; {@code null} when not holding. */
  private List<Runnable> heldSends;

  void holdReads() {
    synchronized (this) {
      heldSends = new ArrayList<>();
    }
    held = new CompletableFuture<>();
  }

  void releaseReads() {
    List<Runnable> sends;
    synchronized (this) {
      sends = heldSends;
      heldSends = null;
    }
    sends.forEach(Runnable::run);
    CompletableFuture<Void> gate = held;
    held = null;
    gate.complete(null);
  }

  @Override
  public Executor requestSender() {
    return task -> {
      synchronized (this) {
        if (heldSends != null) {
          heldSends.add(task);
          return;
        }
      }
      task.run();
    };
  }

  ObservedBackend(InMemoryBackend store) {
    super(store);
  }

  List<Integer> readSizes() {
    return reads.stream().map(List::size).toList();
  }

  @Override
  public CompletableFuture<List<RawValue>> read(BackendCall call, BackendNamespace ns,
      ReadRequest request) {
    reads.add(List.copyOf(request.keys()));
    CompletableFuture<Void> gate = held;
    CompletableFuture<List<RawValue>> read = gate == null ? store.read(call, ns, request)
        : gate.thenCompose(released -> store.read(call, ns, request));
    return read.thenApply(values -> {
      if (failReadsOf != null && request.keys().contains(failReadsOf)) {
        throw new KvUnavailableException(call.describe() + ": connection lost", null);
      }
      return values;
    });
  }
}
