package io.kvstore.bench.tracing;

import io.kvstore.KvEvent;
import io.kvstore.KvOperation;
import io.kvstore.KvOperationEnd;
import io.kvstore.KvOperationStart;
import io.kvstore.KvTracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * The tracer's own cost per operation, which is what tracing adds to any call: the start and
 * end records core builds, {@code KvOpenTelemetry}'s span start (on the caller's thread) and end
 * with the attributes of a {@code getAll(64)}. {@code NONE} is the store without a tracer: no
 * call at all, the floor.
 *
 * <p>Run: {@code java -jar kvstore-bench/target/benchmarks.jar SpanCostBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SpanCostBenchmark {
  private static final KvEvent EVENT = KvEvent.builder("workout", KvOperation.GET_ALL)
      .keyCount(64).found(64).roundTrips(1).nodes(1).duration(Duration.ofNanos(300_000)).build();

  /** Which tracer, as in {@link TracingBenchmark}. */
  @Param
  public TracingBenchmark.Tracing tracing;

  private OpenTelemetrySdk sdk;
  private KvTracer tracer;

  /** Builds the tracer under test. */
  @Setup(Level.Trial)
  public void setUp() {
    if (tracing == TracingBenchmark.Tracing.SDK) {
      sdk = TracingBenchmark.recordingSdk();
    }
    tracer = TracingBenchmark.tracer(tracing, sdk);
  }

  /** Closes the SDK. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (sdk != null) {
      sdk.close();
    }
  }

  /**
   * What core does per operation for its tracer: start a span, end it.
   *
   * @return the span, or null without a tracer
   */
  @Benchmark
  public KvTracer.OperationSpan startAndEnd() {
    if (tracer == null) {
      return null;
    }
    KvTracer.OperationSpan span = tracer.start(
        new KvOperationStart("redis", "workout", KvOperation.GET_ALL, 64));
    span.end(new KvOperationEnd(EVENT, Optional.empty(), List.of(), Optional.empty()));
    return span;
  }
}
