package io.kvstore.internal;

import io.kvstore.DecodeOptions;
import io.kvstore.KvOperation;
import io.kvstore.KvStore;
import io.kvstore.ObservabilityOptions;
import io.kvstore.spi.KvBackend;
import java.time.Clock;

/**
 * The one door from the API package into the engine: the store implementation and its namespaces
 * stay package-private, so no caller can depend on them or test for them; they see a
 * {@link KvStore}.
 */
public final class Engine {
  private Engine() {}

  /**
   * Opens a store over a backend.
   *
   * @param backend the adapter
   * @param clock the clock TTLs are resolved against
   * @param observability listeners, tracer and logging
   * @param decoding where values are decoded
   * @param coalesceGets whether namespaces coalesce concurrent single gets unless they say
   *     otherwise
   * @param cursors signs and checks the store's listing cursors
   * @return the store
   */
  public static KvStore open(KvBackend backend, Clock clock, ObservabilityOptions observability,
      DecodeOptions decoding, boolean coalesceGets, Cursors cursors) {
    return new DefaultKvStore(backend, clock, observability, decoding, coalesceGets, cursors);
  }

  /**
   * Describes an operation for messages, such as {@code "get on namespace 'workout'"}.
   *
   * @param operation the operation
   * @param namespace the namespace name, {@code ""} for store-level operations
   * @return the description, never with keys or values
   */
  public static String describe(KvOperation operation, String namespace) {
    return Operation.describe(operation, namespace);
  }
}
