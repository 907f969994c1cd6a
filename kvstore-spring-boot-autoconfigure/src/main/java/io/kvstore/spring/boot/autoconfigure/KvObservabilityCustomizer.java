package io.kvstore.spring.boot.autoconfigure;

import io.kvstore.ObservabilityOptions;

/**
 * Adds to the observability options of the auto-configured store: declare a bean of this type to
 * register your own {@link io.kvstore.KvListener}s or a {@link io.kvstore.KvTracer}. The
 * auto-configuration's own customizers add Micrometer meters and OpenTelemetry tracing when those
 * are present. Customizers run once, in {@link org.springframework.core.annotation.Order} order,
 * before the store opens, on a builder already holding the {@code kvstore.observability.*}
 * properties.
 */
@FunctionalInterface
public interface KvObservabilityCustomizer {
  /**
   * Customizes the options.
   *
   * @param builder the builder of the store's observability options
   */
  void customize(ObservabilityOptions.Builder builder);
}
