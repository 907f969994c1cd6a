package io.kvstore.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.Compression;
import io.kvstore.DecodeOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvUnavailableException;
import io.kvstore.NamespaceOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.micrometer.KvMicrometer;
import io.kvstore.testkit.redis.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every condition of {@link KvStoreAutoConfiguration}, on the embedded store and on a real
 * {@code redis-server} (kvstore-redis's test harness, on a free port).
 */
class KvStoreAutoConfigurationTest {
  record Workout(String user, int week) {}

  private static RedisServer redis;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(KvStoreAutoConfiguration.class));

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  private static KvNamespace<String> text(KvStore store) {
    return store.namespace(NamespaceOptions.builder("text", KvCodec.utf8()).build());
  }

  private static Health health(org.springframework.context.ApplicationContext context) {
    return context.getBean("kvstoreHealthIndicator", HealthIndicator.class).health();
  }

  @Test
  void withNothingConfiguredTheEmbeddedStoreIsUsed() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(KvStore.class);
      assertThat(context.getBean(KvStoreAutoConfiguration.AutoConfiguredStore.class).kind())
          .isEqualTo("embedded");
      KvNamespace<String> text = text(context.getBean(KvStore.class));
      text.put("a", "1").join();
      assertThat(text.get("a").join()).contains("1");
      assertThat(redis.call("EXISTS", "text:a")).isEqualTo(0L);
    });
  }

  @Test
  void aRedisUriConnectsToRedis() {
    runner.withPropertyValues("kvstore.redis.uri=" + redis.uri()).run(context -> {
      assertThat(context.getBean(KvStoreAutoConfiguration.AutoConfiguredStore.class).kind())
          .isEqualTo("redis");
      text(context.getBean(KvStore.class)).put("uri", "from-kvstore").join();
      assertThat(String.valueOf(redis.call("GET", "text:uri"))).isEqualTo("from-kvstore");
    });
  }

  /** Issues 16 gets without waiting, then waits for them all; returns the round trips. */
  private static long sixteenConcurrentGets(KvStore store) {
    KvNamespace<String> ns = text(store);
    return KvRoundTrips.count(store, () -> CompletableFuture.allOf(IntStream.range(0, 16)
        .mapToObj(i -> ns.get("k" + i)).toArray(CompletableFuture[]::new)).join());
  }

  @Test
  void concurrentGetsAreBatchedByDefaultAndCoalesceGetsFalseSendsThemOneByOne() {
    // 20 ms per round trip: 16 requests would be 16 round trips.
    ApplicationContextRunner edge = runner.withPropertyValues("kvstore.embedded.latency=20ms");
    edge.run(context -> {
      assertThat(context.getBean(KvStoreProperties.class).coalesceGets()).isTrue();
      assertThat(sixteenConcurrentGets(context.getBean(KvStore.class))).isLessThan(16);
    });
    edge.withPropertyValues("kvstore.coalesce-gets=false").run(context ->
        assertThat(sixteenConcurrentGets(context.getBean(KvStore.class))).isEqualTo(16));
    // And on Redis: fewer GET/MGET commands than gets, once the JIT has compiled the get path
    // (interpreted, each get takes longer than the hand-off to the I/O thread, so a burst leaves
    // in pieces), each command counted as a round trip.
    runner.withPropertyValues("kvstore.redis.uri=" + redis.uri()).run(context -> {
      KvStore store = context.getBean(KvStore.class);
      for (int i = 0; i < 200; i++) {
        sixteenConcurrentGets(store);
      }
      long commands = redis.commandCalls("get") + redis.commandCalls("mget");
      long trips = sixteenConcurrentGets(store);
      assertThat(trips).isLessThan(16);
      assertThat(redis.commandCalls("get") + redis.commandCalls("mget") - commands)
          .isEqualTo(trips);
    });
  }

  @Test
  void springDataRedisHostAndPortAreReused() {
    runner.withPropertyValues("spring.data.redis.host=127.0.0.1",
        "spring.data.redis.port=" + redis.port()).run(context -> {
          text(context.getBean(KvStore.class)).put("spring", "data").join();
          assertThat(String.valueOf(redis.call("GET", "text:spring"))).isEqualTo("data");
        });
  }

  @Test
  void springDataCredentialsReachAPasswordProtectedRedis() {
    String password = "p@ss w:rd/é";
    try (RedisServer locked = RedisServer.start()) {
      locked.call("CONFIG", "SET", "requirepass", password);
      runner.withPropertyValues("spring.data.redis.host=127.0.0.1",
          "spring.data.redis.port=" + locked.port(), "spring.data.redis.password=" + password)
          .run(context -> {
            assertThat(context).hasNotFailed();
            text(context.getBean(KvStore.class)).put("auth", "ok").join();
            assertThat(health(context).getStatus()).isEqualTo(Status.UP);
          });
      runner.withPropertyValues("spring.data.redis.host=127.0.0.1",
          "spring.data.redis.port=" + locked.port(), "spring.data.redis.password=wrong")
          .run(context -> assertThat(context).hasFailed());
    }
  }

  @Test
  void kvstoreUriWinsOverSpringDataRedis() {
    int nobody = RedisServer.freePort();
    runner.withPropertyValues("kvstore.redis.uri=" + redis.uri(),
        "spring.data.redis.url=redis://127.0.0.1:" + nobody).run(context -> {
          assertThat(context).hasNotFailed();
          text(context.getBean(KvStore.class)).put("wins", "kvstore").join();
          assertThat(String.valueOf(redis.call("GET", "text:wins"))).isEqualTo("kvstore");
        });
  }

  @Test
  void typeEmbeddedIgnoresRedisProperties() {
    runner.withPropertyValues("kvstore.type=embedded", "kvstore.redis.uri=" + redis.uri())
        .run(context -> assertThat(context.getBean(
            KvStoreAutoConfiguration.AutoConfiguredStore.class).kind()).isEqualTo("embedded"));
  }

  @Test
  void typeRedisWithoutAConnectionFailsNamingTheProperty() {
    runner.withPropertyValues("kvstore.type=redis").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOf(InvalidConfigurationPropertyValueException.class)
          .hasMessageContaining("kvstore.type");
    });
  }

  @Test
  void aUserDefinedStoreBacksTheAutoConfigurationOff() {
    KvStore mine = KvStores.inMemory();
    runner.withBean(KvStore.class, () -> mine).run(context -> {
      assertThat(context).hasSingleBean(KvStore.class);
      assertThat(context.getBean(KvStore.class)).isSameAs(mine);
      assertThat(context).doesNotHaveBean(KvStoreAutoConfiguration.AutoConfiguredStore.class);
      assertThat(health(context).getDetails()).containsEntry("store", "custom");
    });
    mine.close();
  }

  @Test
  void theStoreIsClosedWithTheContext() {
    KvStore[] store = new KvStore[1];
    runner.run(context -> store[0] = context.getBean(KvStore.class));
    assertThatThrownBy(() -> store[0].ping().join()).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(KvUnavailableException.class);
  }

  @Test
  void withAMeterRegistryKvstoreMetersAreRegistered() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
      text(context.getBean(KvStore.class)).put("m", "1").join();
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get(KvMicrometer.OPERATIONS).tag("namespace", "text")
          .tag("operation", "put").timer().count()).isEqualTo(1);
    });
  }

  @Test
  void withoutARegistryOrWithoutMicrometerTheStoreStillStarts() {
    runner.run(context -> {
      assertThat(context).hasBean("kvstoreMicrometerCustomizer");
      text(context.getBean(KvStore.class)).put("m", "1").join();
    });
    runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean("kvstoreMicrometerCustomizer");
      text(context.getBean(KvStore.class)).put("m", "1").join();
    });
  }

  @Test
  void withOpenTelemetryEveryOperationIsASpan() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .build();
    runner.withBean(OpenTelemetry.class, () -> sdk).run(context -> {
      text(context.getBean(KvStore.class)).put("t", "1").join();
      assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName)
          .containsExactly("put text");
    });
    sdk.close();
    runner.withClassLoader(new FilteredClassLoader(OpenTelemetry.class))
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean("kvstoreOpenTelemetryCustomizer"));
  }

  @Test
  void withActuatorAHealthIndicatorReportsTheStoreKind() {
    runner.run(context -> {
      Health health = health(context);
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).isEqualTo(Map.of("store", "embedded"));
      Info.Builder info = new Info.Builder();
      context.getBean("kvstoreInfoContributor", InfoContributor.class).contribute(info);
      assertThat(info.build().getDetails())
          .isEqualTo(Map.of("kvstore", Map.of("store", "embedded")));
    });
    runner.withPropertyValues("management.health.kvstore.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("kvstoreHealthIndicator"));
    runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class, InfoContributor.class))
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean("kvstoreHealthIndicator").doesNotHaveBean("kvstoreInfoContributor"));
  }

  @Test
  void withAJackson3MapperCodecsUseIt() {
    JsonMapper mapper = JsonMapper.builder().build();
    runner.withBean(JsonMapper.class, () -> mapper).run(context -> {
      KvStore store = context.getBean(KvStore.class);
      KvNamespace<Workout> workouts = store.namespace(NamespaceOptions.builder("workout",
          context.getBean(KvJsonCodecs.class).codec(Workout.class)).build());
      workouts.put("ada:w1", new Workout("ada", 1)).join();
      assertThat(workouts.get("ada:w1").join()).contains(new Workout("ada", 1));
    });
    runner.run(context -> assertThat(context).doesNotHaveBean(KvJsonCodecs.class));
    runner.withClassLoader(new FilteredClassLoader(JsonMapper.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(KvJsonCodecs.class));
  }

  @Test
  void serverTrackingIsOnUnlessThePropertyTurnsItOff() {
    runner.run(context -> assertThat(context.getBean(KvStoreProperties.class).redis()
        .toOptions(ObservabilityOptions.defaults(), false).serverTracking()).isTrue());
    runner.withPropertyValues("kvstore.redis.server-tracking=false").run(context -> assertThat(
        context.getBean(KvStoreProperties.class).redis()
            .toOptions(ObservabilityOptions.defaults(), false).serverTracking()).isFalse());
  }

  @Test
  void decodePropertiesReachTheStoresDecodeOptions() {
    runner.run(context -> assertThat(context.getBean(KvStoreProperties.class).redis()
        .toOptions(ObservabilityOptions.defaults(), false).decoding())
        .usingRecursiveComparison().isEqualTo(DecodeOptions.defaults()));
    runner.withPropertyValues("kvstore.redis.decode-inline-bytes=1000",
        "kvstore.redis.decode-parallel-bytes=" + Integer.MAX_VALUE).run(context -> {
          DecodeOptions decoding = context.getBean(KvStoreProperties.class).redis()
              .toOptions(ObservabilityOptions.defaults(), false).decoding();
          assertThat(decoding.inlineBytes()).isEqualTo(1000);
          assertThat(decoding.parallelBytes()).isEqualTo(Integer.MAX_VALUE);
        });
  }

  @Test
  void compressionPropertiesMakeACompressionThatTheJsonCodecsApply() {
    JsonMapper mapper = JsonMapper.builder().build();
    runner.withBean(JsonMapper.class, () -> mapper)
        .withPropertyValues("kvstore.compression.algorithm=zstd").run(context -> {
          assertThat(context.getBean(Compression.class)).isEqualTo(Compression.zstd());
          KvStore store = context.getBean(KvStore.class);
          KvNamespace<Workout> workouts = store.namespace(NamespaceOptions.builder("workout",
              context.getBean(KvJsonCodecs.class).codec(Workout.class)).build());
          Workout big = new Workout("ada".repeat(200), 1);
          workouts.put("ada:w1", big).join();
          byte[] stored = store.namespace(NamespaceOptions.builder("workout", KvCodec.bytes())
              .build()).get("ada:w1").join().orElseThrow();
          assertThat(stored[1]).isEqualTo((byte) 0xF5);
          assertThat(workouts.get("ada:w1").join()).contains(big);
        });
    runner.withPropertyValues("kvstore.compression.algorithm=lz4",
        "kvstore.compression.write=false").run(context -> assertThat(
            context.getBean(Compression.class)).isEqualTo(
                Compression.lz4().withThresholdBytes(Compression.NEVER)));
    runner.withPropertyValues("kvstore.compression.algorithm=none")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Compression.class));
    runner.run(context -> assertThat(context).doesNotHaveBean(Compression.class));
  }

  @Test
  void badValuesFailTheStartUpNamingThePropertyAndTheRule() {
    Map<String, String> cases = Map.of(
        "kvstore.redis.timeout=-1s", "kvstore.redis.timeout",
        "kvstore.redis.connect-timeout=0s", "kvstore.redis.connect-timeout",
        "kvstore.redis.scan-count=0", "kvstore.redis.scan-count",
        "kvstore.redis.decode-parallel-bytes=-1", "kvstore.redis.decode-parallel-bytes",
        "kvstore.observability.slow-error=10ms", "kvstore.observability.slow-error",
        "kvstore.embedded.latency=-5ms", "kvstore.embedded.latency",
        "kvstore.compression.level=23", "kvstore.compression.level");
    cases.forEach((property, name) -> runner.withPropertyValues(property).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOf(InvalidConfigurationPropertyValueException.class)
          .hasMessageContaining(name);
    }));
    runner.withPropertyValues("kvstore.type=sometimes").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).hasStackTraceContaining("kvstore.type");
    });
    runner.withPropertyValues("kvstore.redis.timeout=soon").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).hasStackTraceContaining("kvstore.redis.timeout");
    });
    runner.withPropertyValues("kvstore.redis.uri=" + redis.uri(),
        "kvstore.redis.cluster.nodes=" + redis.uri()).run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause()
              .isInstanceOf(MutuallyExclusiveConfigurationPropertiesException.class)
              .hasMessageContaining("kvstore.redis.uri")
              .hasMessageContaining("kvstore.redis.cluster.nodes");
        });
  }

  @Test
  void anUnparseableUriFailsNamingThePropertyWithoutEchoingIt() {
    runner.withPropertyValues("kvstore.redis.uri=redis://secret@[::1").run(context -> {
      assertThat(context).hasFailed();
      Throwable root = org.assertj.core.util.Throwables.getRootCause(context.getStartupFailure());
      assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class)
          .hasMessageContaining("kvstore.redis.uri").hasMessageNotContaining("secret");
    });
    runner.withPropertyValues("spring.data.redis.url=http://127.0.0.1").run(context ->
        assertThat(context.getStartupFailure()).rootCause()
            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessageContaining("spring.data.redis.url"));
  }

  @Test
  void anUnreachableRedisFailsTheStartUpByDefault() {
    runner.withPropertyValues("kvstore.redis.uri=redis://127.0.0.1:" + RedisServer.freePort(),
        "kvstore.redis.connect-timeout=500ms").run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure())
              .hasStackTraceContaining(RedisUnreachableException.class.getName())
              .hasStackTraceContaining(KvUnavailableException.class.getName());
          FailureAnalysis analysis = new KvStoreFailureAnalyzer()
              .analyze(context.getStartupFailure());
          assertThat(analysis.getDescription()).contains("kvstore.redis.uri", "127.0.0.1:");
          assertThat(analysis.getAction()).contains("kvstore.redis.fail-fast=false");
        });
  }

  @Test
  void withoutFailFastTheApplicationStartsDownAndConnectsWhenRedisComesUp() throws Exception {
    try (RedisServer late = RedisServer.start()) {
      late.kill();
      runner.withPropertyValues("kvstore.redis.uri=" + late.uri(),
          "kvstore.redis.fail-fast=false", "kvstore.redis.connect-timeout=500ms")
          .run(context -> {
            assertThat(context).hasNotFailed();
            KvStore store = context.getBean(KvStore.class);
            KvNamespace<String> text = text(store);
            assertThat(health(context).getStatus()).isEqualTo(Status.DOWN);
            assertThat(health(context).getDetails()).containsEntry("store", "redis");
            assertThatThrownBy(() -> text.get("k").join())
                .hasCauseInstanceOf(KvUnavailableException.class);
            assertThatThrownBy(() -> text.blocking().get("k"))
                .isInstanceOf(KvUnavailableException.class);

            late.restart();
            awaitUp(context);
            text.put("k", "late").join();
            assertThat(text.blocking().get("k")).contains("late");
            assertThat(String.valueOf(late.call("GET", "text:k"))).isEqualTo("late");
          });
    }
  }

  /** Waits, up to a bound, for the background connection; asserts the state, never the time. */
  private static void awaitUp(org.springframework.context.ApplicationContext context)
      throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (health(context).getStatus() != Status.UP && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(health(context).getStatus()).isEqualTo(Status.UP);
  }

  /** An application with nothing but kvstore, for start-ups that must fail. */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(KvStoreAutoConfiguration.class)
  static class KvstoreOnly {}

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void bootsFailureAnalysisNamesThePropertyAndTheRule(CapturedOutput output) {
    String[][] cases = {
        {"--kvstore.redis.timeout=-1s", "kvstore.redis.timeout", "it must be positive"},
        {"--kvstore.type=sometimes", "kvstore.type", "StoreType"},
        {"--kvstore.redis.uri=redis://127.0.0.1:" + RedisServer.freePort(), "kvstore.redis.uri",
            "kvstore.redis.fail-fast=false"}};
    for (String[] c : cases) {
      assertThatThrownBy(() -> new SpringApplicationBuilder(KvstoreOnly.class)
          .web(WebApplicationType.NONE).run(c[0])).as(c[0]).isInstanceOf(RuntimeException.class);
      String analysis = output.getAll().substring(output.getAll().lastIndexOf(
          "APPLICATION FAILED TO START"));
      assertThat(analysis).as(c[0]).contains(c[1], c[2]).doesNotContain("\tat ");
    }
  }
}
