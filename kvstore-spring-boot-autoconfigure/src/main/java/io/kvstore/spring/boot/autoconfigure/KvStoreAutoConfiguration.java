package io.kvstore.spring.boot.autoconfigure;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.ObservabilityOptions;
import io.kvstore.SimulatedEdge;
import io.kvstore.jackson3.KvJackson3;
import io.kvstore.micrometer.KvMicrometer;
import io.kvstore.opentelemetry.KvOpenTelemetry;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.spi.Failures;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of a {@link KvStore} bean and its integrations.
 *
 * <ul>
 *   <li>The store: Redis when {@code kvstore.redis.uri}, {@code kvstore.redis.cluster.nodes} or
 *       Spring Data's {@code spring.data.redis.*} connection properties are set (kvstore's win),
 *       the embedded store otherwise, so a new project runs at once: durable on the file or
 *       directory {@code kvstore.embedded.path} names (kvstore-sqlite), else in memory;
 *       {@code kvstore.type} forces one. One INFO line names the store in use. The store is
 *       closed with the context. A {@code KvStore} bean of the application's own replaces it.
 *   <li>Redis unreachable at start-up: the start-up fails with a failure analysis
 *       ({@code kvstore.redis.fail-fast=true}, the default), or the application starts and the
 *       store connects in the background, reporting DOWN meanwhile ({@code false}).
 *   <li>Micrometer: with a {@code MeterRegistry} bean, kvstore's meters
 *       ({@code kvstore.operations}, ...) are registered on it.
 *   <li>OpenTelemetry: with an {@code OpenTelemetry} bean and kvstore-opentelemetry, one span
 *       per operation.
 *   <li>Actuator: a {@code kvstore} health indicator (UP or DOWN from {@code ping}, with the
 *       store kind; never keys or values) and a {@code kvstore} info entry.
 *   <li>Jackson 3: with a {@code JsonMapper} bean and kvstore-jackson3, a {@link KvJsonCodecs}.
 * </ul>
 *
 * <p>{@code KvNamespace} beans stay the application's to declare, one per value type.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties(KvStoreProperties.class)
public final class KvStoreAutoConfiguration {
  private static final Logger log = LoggerFactory.getLogger(KvStoreAutoConfiguration.class);

  /** Creates the auto-configuration; Spring calls it. */
  public KvStoreAutoConfiguration() {}

  /**
   * Opens the store the properties describe. Declared before {@link #kvStore} so that both see
   * only the application's own {@code KvStore} beans.
   */
  @Bean
  @ConditionalOnMissingBean(KvStore.class)
  AutoConfiguredStore kvstoreAutoConfiguredStore(KvStoreProperties properties,
      Environment environment, ObjectProvider<KvObservabilityCustomizer> customizers,
      ResourceLoader resources) {
    ObservabilityOptions.Builder builder = properties.observability().toBuilder();
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    ObservabilityOptions observability = builder.build();

    Optional<RedisTarget> target = properties.type() == KvStoreProperties.StoreType.EMBEDDED
        ? Optional.empty()
        : RedisTarget.resolve(properties.redis(), Binder.get(environment));
    if (target.isEmpty()) {
      if (properties.type() == KvStoreProperties.StoreType.REDIS) {
        throw new InvalidConfigurationPropertyValueException("kvstore.type", "redis",
            "no Redis connection is configured: set kvstore.redis.uri,"
                + " kvstore.redis.cluster.nodes or spring.data.redis.url/host");
      }
      if (properties.embedded().path() != null) {
        // Checked before DurableEmbeddedStore, the one class naming kvstore-sqlite, is loaded.
        if (!ClassUtils.isPresent(DurableEmbeddedStore.ENTRY_POINT, resources.getClassLoader())) {
          throw new InvalidConfigurationPropertyValueException("kvstore.embedded.path",
              properties.embedded().path(), "the durable embedded store needs"
                  + " io.kvstore:kvstore-sqlite on the class path");
        }
        return new AutoConfiguredStore(DurableEmbeddedStore.open(properties.embedded().path(),
            observability, properties.coalesceGets()), "embedded-durable");
      }
      log.info("kvstore: using the embedded in-memory store (kvstore.type={}); its data is lost"
          + " at shutdown. Set kvstore.embedded.path to keep it on disk, kvstore.redis.uri to use"
          + " Redis.", properties.type().name().toLowerCase(Locale.ROOT));
      return new AutoConfiguredStore(KvStores.inMemory(embedded(properties.embedded(),
          observability, properties.coalesceGets())), "embedded");
    }
    return new AutoConfiguredStore(redis(target.get(), properties.redis(), observability,
        properties.coalesceGets()), target.get().kind());
  }

  /**
   * The store.
   *
   * @param opened the store opened from the properties
   * @return the store, closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(KvStore.class)
  KvStore kvStore(AutoConfiguredStore opened) {
    return opened.store();
  }

  private static InMemoryOptions embedded(KvStoreProperties.Embedded embedded,
      ObservabilityOptions observability, boolean coalesceGets) {
    InMemoryOptions.Builder builder = InMemoryOptions.builder()
        .observability(observability)
        .coalesceGets(coalesceGets);
    if (!embedded.latency().isZero() || embedded.maxConcurrentRequests() > 0) {
      builder.simulatedEdge(new SimulatedEdge(embedded.latency(), embedded.latency(),
          embedded.maxConcurrentRequests() > 0 ? embedded.maxConcurrentRequests()
              : SimulatedEdge.UNBOUNDED));
    }
    return builder.build();
  }

  private static KvStore redis(RedisTarget target, KvStoreProperties.Redis redis,
      ObservabilityOptions observability, boolean coalesceGets) {
    RedisKvOptions options = redis.toOptions(observability, coalesceGets);
    Supplier<KvStore> connect = () -> target.cluster()
        ? RedisKvStore.connectCluster(target.uris(), options)
        : RedisKvStore.connect(target.uris().get(0), options);
    try {
      KvStore store = connect.get();
      log.info("kvstore: using {} (from {})", target.describe(), target.property());
      return store;
    } catch (KvValidationException e) {
      throw target.invalid(e.getMessage());
    } catch (KvUnavailableException e) {
      if (redis.failFast()) {
        throw new RedisUnreachableException(target, e);
      }
      log.warn("kvstore: {} (from {}) is unreachable at start-up; starting anyway"
          + " (kvstore.redis.fail-fast=false): calls fail with KvUnavailableException and health"
          + " reports DOWN until it answers. Retrying in the background.", target.describe(),
          target.property());
      return new DeferredKvStore(target.describe(), connect);
    }
  }

  /**
   * The store opened from the properties, with its kind for health and info.
   *
   * @param store the store
   * @param kind {@code embedded}, {@code redis} or {@code redis-cluster}
   */
  record AutoConfiguredStore(KvStore store, String kind) {}

  private static String kind(ObjectProvider<AutoConfiguredStore> opened, KvStore store) {
    AutoConfiguredStore auto = opened.getIfAvailable();
    return auto != null && auto.store() == store ? auto.kind() : "custom";
  }

  /** kvstore's meters on the application's Micrometer registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, KvMicrometer.class})
  static class MicrometerConfiguration {
    /**
     * Registers the meters when a registry bean exists. Looked up when the store opens, after
     * every auto-configuration has declared its beans, so no ordering against Boot's metrics
     * auto-configuration is needed.
     */
    @Bean
    KvObservabilityCustomizer kvstoreMicrometerCustomizer(ObjectProvider<MeterRegistry> registry) {
      return builder -> registry.ifUnique(r -> builder.listener(KvMicrometer.listener(r)));
    }
  }

  /** One span per operation through the application's OpenTelemetry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({OpenTelemetry.class, KvOpenTelemetry.class})
  static class OpenTelemetryConfiguration {
    @Bean
    KvObservabilityCustomizer kvstoreOpenTelemetryCustomizer(
        ObjectProvider<OpenTelemetry> openTelemetry) {
      return builder -> openTelemetry.ifUnique(
          otel -> builder.tracer(KvOpenTelemetry.tracer(otel)));
    }
  }

  /** The {@code kvstore} health indicator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("kvstore")
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "kvstoreHealthIndicator")
    HealthIndicator kvstoreHealthIndicator(KvStore store,
        ObjectProvider<AutoConfiguredStore> opened) {
      return new KvStoreHealthIndicator(store, kind(opened, store));
    }
  }

  /** The {@code kvstore} entry of {@code /actuator/info}: the store kind. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(InfoContributor.class)
  static class InfoConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "kvstoreInfoContributor")
    InfoContributor kvstoreInfoContributor(KvStore store,
        ObjectProvider<AutoConfiguredStore> opened) {
      Map<String, Object> details = Map.of("store", kind(opened, store));
      return info -> info.withDetail("kvstore", details);
    }
  }

  /** Codecs on the application's Jackson 3 mapper. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({JsonMapper.class, KvJackson3.class})
  static class Jackson3Configuration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(JsonMapper.class)
    KvJsonCodecs kvJsonCodecs(JsonMapper mapper) {
      return new KvJsonCodecs(mapper);
    }
  }

  /** UP when a ping answers within the store's timeouts; DOWN with the error otherwise. */
  static final class KvStoreHealthIndicator implements HealthIndicator {
    private final KvStore store;
    private final String kind;

    KvStoreHealthIndicator(KvStore store, String kind) {
      this.store = store;
      this.kind = kind;
    }

    @Override
    public Health health() {
      try {
        store.ping().join();
        return Health.up().withDetail("store", kind).build();
      } catch (CompletionException e) {
        Throwable cause = Failures.cause(e);
        return Health.down().withDetail("store", kind)
            .withDetail("error", cause.getClass().getSimpleName() + ": " + cause.getMessage())
            .build();
      }
    }
  }
}
