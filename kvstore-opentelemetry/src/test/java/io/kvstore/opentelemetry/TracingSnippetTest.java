package io.kvstore.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.NamespaceOptions;
import io.kvstore.ObservabilityOptions;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tracing block of docs/observability.md, run against a real SDK. */
class TracingSnippetTest {
  @Test
  void theDocumentedSetUpMakesOneSpanPerOperation() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build()) {
      // tag::tracer[]
      // otel: GlobalOpenTelemetry.get(), the Java agent's, or the OpenTelemetrySdk you built
      KvStore store = KvStores.inMemory(InMemoryOptions.builder()   // RedisKvOptions.builder() alike
          .observability(ObservabilityOptions.builder()
              .tracer(KvOpenTelemetry.tracer(otel))
              .build())
          .build());
      // end::tracer[]
      try (store) {
        KvNamespace<String> names = store.namespace(NamespaceOptions.builder("name", String.class)
            .build());
        names.getAll(List.of("a", "b", "c")).join();
      }
      assertEquals(List.of("getAll name"),
          exporter.getFinishedSpanItems().stream().map(s -> s.getName()).toList());
    }
  }
}
