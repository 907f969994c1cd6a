package io.kvstore;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives one {@link KvEvent} per logical operation. Implement it to feed metrics
 * ({@code kvstore-micrometer} has one for Micrometer), and register it, as many as needed, with
 * {@link ObservabilityOptions.Builder#listener(KvListener)}. Tracing, which must start when the
 * call is made, has its own hook: {@link KvTracer}. Every method has a no-op default so
 * new callbacks never break implementations. The Observability section of
 * {@link ObservabilityOptions} has the whole picture.
 *
 * <p>Called on the thread that completes the operation (possibly an I/O thread): keep it short
 * and non-blocking. A listener that throws is logged and otherwise ignored. Listeners never see
 * keys or values.
 */
public interface KvListener {
  /**
   * Called once when an operation completes, successfully or not.
   *
   * @param event what happened
   */
  default void onOperation(KvEvent event) {}

  /**
   * Adapts a consumer of operation events, for listeners that need nothing else.
   *
   * @param onOperation called with each operation event
   * @return the listener
   */
  static KvListener of(Consumer<KvEvent> onOperation) {
    Objects.requireNonNull(onOperation, "onOperation");
    return new KvListener() {
      @Override
      public void onOperation(KvEvent event) {
        onOperation.accept(event);
      }
    };
  }
}
