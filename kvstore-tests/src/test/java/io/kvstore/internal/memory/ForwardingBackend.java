package io.kvstore.internal.memory;

import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.kvstore.spi.ReadRequest;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The real embedded store behind a backend that tests extend to watch or disturb some of its
 * calls; every call it does not override reaches the store unchanged. Not a mock.
 */
public abstract class ForwardingBackend implements KvBackend {
  /** The store every call reaches. */
  protected final InMemoryBackend store;

  /**
   * Forwards to a store.
   *
   * @param store the embedded store
   */
  protected ForwardingBackend(InMemoryBackend store) {
    this.store = store;
  }

  @Override
  public Clock clock() {
    return store.clock();
  }

  @Override
  public CompletableFuture<List<RawValue>> read(BackendCall call, BackendNamespace ns,
      ReadRequest request) {
    return store.read(call, ns, request);
  }

  @Override
  public CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes) {
    return store.write(call, ns, writes);
  }

  @Override
  public CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns,
      List<String> keys) {
    return store.delete(call, ns, keys);
  }

  @Override
  public CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return store.list(call, ns, request);
  }

  @Override
  public CompletableFuture<Void> ping(BackendCall call) {
    return store.ping(call);
  }

  @Override
  public void close() {
    store.close();
  }
}
