package io.kvstore;

import io.kvstore.internal.DefaultKvStore;
import io.kvstore.internal.memory.InMemoryBackend;
import io.kvstore.spi.KvBackend;

/** Factories for stores. */
public final class KvStores {
  private KvStores() {}

  /**
   * Opens an embedded in-memory store with default options: no simulated latency, the system
   * clock. Thread-safe; the data lives as long as the store.
   *
   * @return a new store
   */
  public static KvStore inMemory() {
    return inMemory(InMemoryOptions.builder().build());
  }

  /**
   * Opens an embedded in-memory store, optionally simulating an edge network.
   *
   * @param options latency, concurrency cap, clock and observability
   * @return a new store
   * @throws KvValidationException if {@code options} is null
   */
  public static KvStore inMemory(InMemoryOptions options) {
    if (options == null) {
      throw new KvValidationException("options", "options must not be null");
    }
    return new DefaultKvStore(new InMemoryBackend(options), options.clock(),
        options.observability(), DecodeOptions.defaults(), options.coalesceGets());
  }

  /**
   * Wraps an adapter's backend into a store. For adapter authors: the store adds validation,
   * codecs, TTL policies, namespaces, cursors and observability on top of the backend's byte-level
   * batch operations, and closes the backend when it is closed.
   *
   * @param backend the adapter's backend
   * @param observability listeners, slow-operation thresholds and key redaction
   * @return the store
   * @throws KvValidationException if an argument is null
   */
  public static KvStore fromBackend(KvBackend backend, ObservabilityOptions observability) {
    return fromBackend(backend, observability, DecodeOptions.defaults());
  }

  /**
   * Wraps an adapter's backend into a store that decodes values where {@code decoding} says.
   * Adapters whose futures complete on I/O threads pass the user's {@link DecodeOptions}, so a
   * large read is decoded off those threads.
   *
   * @param backend the adapter's backend
   * @param observability listeners, slow-operation thresholds and key redaction
   * @param decoding the decode executor and inline threshold
   * @return the store
   * @throws KvValidationException if an argument is null
   */
  public static KvStore fromBackend(KvBackend backend, ObservabilityOptions observability,
      DecodeOptions decoding) {
    return fromBackend(backend, observability, decoding,
        NamespaceOptions.DEFAULT_COALESCE_GETS);
  }

  /**
   * Wraps an adapter's backend into a store, saying whether its namespaces coalesce concurrent
   * single {@code get}s into batch reads unless they say otherwise. Adapters pass their user's
   * setting, such as {@code RedisKvOptions.coalesceGets()}.
   *
   * @param backend the adapter's backend
   * @param observability listeners, slow-operation thresholds and key redaction
   * @param decoding the decode executor and inline threshold
   * @param coalesceGets the store's default for {@link NamespaceOptions#coalesceGets()}
   * @return the store
   * @throws KvValidationException if an argument is null
   */
  public static KvStore fromBackend(KvBackend backend, ObservabilityOptions observability,
      DecodeOptions decoding, boolean coalesceGets) {
    if (backend == null || observability == null || decoding == null) {
      throw new KvValidationException("backend",
          "backend, observability and decoding must not be null");
    }
    return new DefaultKvStore(backend, backend.clock(), observability, decoding, coalesceGets);
  }
}
