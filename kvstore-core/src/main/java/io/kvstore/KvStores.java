package io.kvstore;

import io.kvstore.internal.Cursors;
import io.kvstore.internal.Engine;
import io.kvstore.internal.SimulatedEdgeBackend;
import io.kvstore.internal.memory.InMemoryBackend;
import io.kvstore.spi.KvBackend;

/** Factories for stores. */
public final class KvStores {
  private KvStores() {}

  /**
   * Opens an embedded in-memory store with default options: no simulated edge, the system
   * clock. Thread-safe; the data lives as long as the store.
   *
   * @return a new store
   */
  public static KvStore inMemory() {
    return inMemory(InMemoryOptions.defaults());
  }

  /**
   * Opens an embedded in-memory store, optionally behind a {@link SimulatedEdge}.
   *
   * @param options clock, observability, decoding, simulated edge
   * @return a new store
   * @throws KvValidationException if {@code options} is null
   */
  public static KvStore inMemory(InMemoryOptions options) {
    if (options == null) {
      throw new KvValidationException("options", "options must not be null");
    }
    return fromBackend(new InMemoryBackend(options.clock()), options);
  }

  /**
   * Wraps an adapter's backend into a store. For adapter authors: the store adds validation,
   * codecs, TTL policies, namespaces, cursors and observability on top of the backend's byte-level
   * batch operations, decodes values where {@link StoreOptions#decoding()} says (adapters whose
   * futures complete on I/O threads thus decode large reads off those threads), and closes the
   * backend when it is closed. A {@link StoreOptions#simulatedEdge()} in the options is put in
   * front of the backend here, so it works the same on every store.
   *
   * @param backend the adapter's backend
   * @param options the adapter's options: observability, decoding, coalescing, the cursor key
   *     and the simulated edge are taken from them
   * @return the store
   * @throws KvValidationException if an argument is null
   */
  public static KvStore fromBackend(KvBackend backend, StoreOptions options) {
    if (backend == null || options == null) {
      throw new KvValidationException("backend", "backend and options must not be null");
    }
    return Engine.open(options.simulatedEdge().map(edge -> SimulatedEdgeBackend.wrap(backend, edge))
        .orElse(backend), backend.clock(), options.observability(), options.decoding(),
        options.coalesceGets(), Cursors.of(options.cursorKey()));
  }
}
