package io.kvstore.opentelemetry;

import io.kvstore.ObservabilityOptions;
import io.kvstore.testing.Workout;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real OpenTelemetry SDK for one test: spans are exported synchronously, as each ends, to an
 * in-memory exporter, so a span is there as soon as the kvstore future it belongs to completes.
 */
final class Tracing implements AutoCloseable {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk;

  Tracing() {
    this(Sampler.alwaysOn());
  }

  Tracing(Sampler sampler) {
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .setSampler(sampler)
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build())
        .build();
  }

  /** Observability options with this SDK's kvstore tracer. */
  ObservabilityOptions.Builder observability() {
    return ObservabilityOptions.builder().tracer(KvOpenTelemetry.tracer(sdk));
  }

  /**
   * Runs {@code body} inside a "request" span made current on this thread, as a server
   * framework's instrumentation would, and ends that span afterwards.
   *
   * @return the request span's context
   */
  SpanContext inRequest(Runnable body) {
    Span request = sdk.getTracer("test").spanBuilder("request").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      body.run();
    } finally {
      request.end();
    }
    return request.getSpanContext();
  }

  /** Every span exported so far, kvstore's and the test's. */
  List<SpanData> all() {
    return exporter.getFinishedSpanItems();
  }

  /** The spans kvstore exported so far, in the order they ended. */
  List<SpanData> kvSpans() {
    return all().stream()
        .filter(s -> s.getInstrumentationScopeInfo().getName()
            .equals(KvOpenTelemetry.INSTRUMENTATION_SCOPE))
        .toList();
  }

  /** Forgets the spans exported so far. */
  void reset() {
    exporter.reset();
  }

  /** {@code n} workouts of one user at keys {@code user-42:0} and on. */
  static Map<String, Workout> workouts(int n) {
    Map<String, Workout> data = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      data.put("user-42:" + i, Workout.of("user-42", i / 4 + 1, i % 4 + 1));
    }
    return data;
  }

  @Override
  public void close() {
    sdk.close();
  }
}
