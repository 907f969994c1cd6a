package io.kvstore.spi;

import io.kvstore.KvSwap;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A backend that hands every call to another one: the base of a decorator that watches, delays
 * or changes some calls (kvstore's slow-log key capture and simulated edge are two) and must pass
 * every other call through, including the verbs a later SPI adds. Override what the decorator
 * changes; the rest reaches the delegate unchanged. Thread-safe if the delegate is.
 */
public abstract class ForwardingKvBackend implements KvBackend {
  /** The backend every call reaches. */
  protected final KvBackend delegate;

  /**
   * Forwards to a backend.
   *
   * @param delegate the backend, closed with this one
   */
  protected ForwardingKvBackend(KvBackend delegate) {
    this.delegate = delegate;
  }

  @Override
  public Clock clock() {
    return delegate.clock();
  }

  @Override
  public CompletableFuture<List<RawValue>> read(BackendCall call, BackendNamespace ns,
      ReadRequest request) {
    return delegate.read(call, ns, request);
  }

  @Override
  public CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes) {
    return delegate.write(call, ns, writes);
  }

  @Override
  public CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns, List<String> keys) {
    return delegate.delete(call, ns, keys);
  }

  @Override
  public CompletableFuture<List<KvSwap>> compareAndSet(BackendCall call, BackendNamespace ns,
      List<RawSwap> swaps) {
    return delegate.compareAndSet(call, ns, swaps);
  }

  @Override
  public CompletableFuture<RawCount> increment(BackendCall call, BackendNamespace ns,
      RawIncrement increment) {
    return delegate.increment(call, ns, increment);
  }

  @Override
  public CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return delegate.list(call, ns, request);
  }

  @Override
  public CompletableFuture<RawPage<RawEntry>> listValues(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return delegate.listValues(call, ns, request);
  }

  @Override
  public CompletableFuture<Long> reindex(BackendCall call, BackendNamespace ns) {
    return delegate.reindex(call, ns);
  }

  @Override
  public Optional<InvalidationBus> invalidations() {
    return delegate.invalidations();
  }

  @Override
  public String systemName() {
    return delegate.systemName();
  }

  @Override
  public Executor requestSender() {
    return delegate.requestSender();
  }

  @Override
  public CompletableFuture<Void> ping(BackendCall call) {
    return delegate.ping(call);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
