package io.kvstore.bench.tracing;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvTracer;
import io.kvstore.ObservabilityOptions;
import io.kvstore.bench.RedisTarget;
import io.kvstore.bench.WorkoutCompletion;
import io.kvstore.bench.Workouts;
import io.kvstore.opentelemetry.KvOpenTelemetry;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What tracing costs a {@code getAll(64)} of workout records:
 *
 * <ul>
 *   <li>{@code tracing=NONE}: no tracer registered, the default;
 *   <li>{@code NOOP}: {@code kvstore-opentelemetry} on, with {@code OpenTelemetry.noop()} (what
 *       an application gets when it adds the module but installs no SDK);
 *   <li>{@code SDK}: the OpenTelemetry SDK recording every span (always-on sampler) and
 *       exporting it through a {@code BatchSpanProcessor} to an exporter that drops it, so the
 *       cost measured is the span's, not a network's.
 * </ul>
 *
 * <p>{@code store=MEMORY} is the embedded store with no simulated latency (the call completes on
 * the caller's thread: pure CPU, where an overhead shows most); {@code store=REDIS} a real
 * {@code redis-server} on loopback. {@link SpanCostBenchmark} measures the tracer alone, which
 * the noise of a whole {@code getAll} hides. Run with the GC profiler to see allocation per call:
 * {@code java -jar kvstore-bench/target/benchmarks.jar TracingBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TracingBenchmark {
  private static final int N = 64;

  /** Where the records are. */
  public enum Store {
    /** The embedded store, no latency. */
    MEMORY,
    /** A real redis-server on loopback. */
    REDIS
  }

  /** Which tracer the store has. */
  public enum Tracing {
    /** None. */
    NONE,
    /** kvstore-opentelemetry over the no-op OpenTelemetry. */
    NOOP,
    /** kvstore-opentelemetry over a recording SDK. */
    SDK
  }

  /** Where the records are. */
  @Param
  public Store store;

  /** Which tracer the store has. */
  @Param
  public Tracing tracing;

  private RedisTarget redis;
  private OpenTelemetrySdk sdk;
  private KvStore kv;
  private KvNamespace<WorkoutCompletion> ns;
  private List<String> keys;

  /** Opens the store with the tracer under test and seeds 64 records. */
  @Setup(Level.Trial)
  public void setUp() {
    ObservabilityOptions.Builder observability = ObservabilityOptions.builder()
        .slowOperationThresholds(Duration.ofSeconds(10), Duration.ofSeconds(10));
    if (tracing == Tracing.SDK) {
      sdk = recordingSdk();
    }
    KvTracer tracer = tracer(tracing, sdk);
    if (tracer != null) {
      observability.tracer(tracer);
    }
    if (store == Store.REDIS) {
      redis = RedisTarget.server(Duration.ZERO);
      kv = RedisKvStore.connect(redis.uri(),
          RedisKvOptions.builder().observability(observability.build()).build());
    } else {
      kv = KvStores.inMemory(InMemoryOptions.builder()
          .observability(observability.build())
          .build());
    }
    Workouts.seed(kv, N);
    keys = Workouts.keys(N);
    ns = kv.namespace(Workouts.namespace());
  }

  /** Closes the store, the SDK and Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    kv.close();
    if (sdk != null) {
      sdk.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /**
   * One {@code getAll} of 64 records.
   *
   * @return the records
   */
  @Benchmark
  public Map<String, WorkoutCompletion> getAll64() {
    return ns.getAll(keys).join();
  }

  /**
   * Builds an SDK that records every span and exports it, in batches, to an exporter that drops
   * it: the cost of recording, without a network's.
   *
   * @return the SDK, to close after the trial
   */
  static OpenTelemetrySdk recordingSdk() {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(new DroppingExporter()).build())
            .build())
        .build();
  }

  /**
   * Returns the tracer a configuration uses.
   *
   * @param tracing the configuration
   * @param sdk the recording SDK, for {@link Tracing#SDK}
   * @return the tracer, or null for {@link Tracing#NONE}
   */
  static KvTracer tracer(Tracing tracing, OpenTelemetrySdk sdk) {
    return switch (tracing) {
      case NONE -> null;
      case NOOP -> KvOpenTelemetry.tracer(OpenTelemetry.noop());
      case SDK -> KvOpenTelemetry.tracer(sdk);
    };
  }

  /** Accepts every batch and keeps nothing. */
  private static final class DroppingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
