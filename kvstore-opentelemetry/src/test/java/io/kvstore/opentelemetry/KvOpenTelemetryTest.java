package io.kvstore.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.SimulatedEdge;
import io.kvstore.testing.Workout;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spans of the embedded store, recorded by a real SDK: one per logical operation. */
class KvOpenTelemetryTest {
  private final Tracing tracing = new Tracing();
  private final List<KvStore> stores = new ArrayList<>();

  @AfterEach
  void close() {
    stores.forEach(KvStore::close);
    tracing.close();
  }

  private KvStore open(Duration latency, ObservabilityOptions observability) {
    KvStore store = KvStores.inMemory(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(latency))
        .observability(observability)
        .build());
    stores.add(store);
    return store;
  }

  private KvNamespace<Workout> workouts(KvStore store) {
    return store.namespace(NamespaceOptions.builder("workout", Workout.class).build());
  }

  private static <T> T only(List<T> items) {
    assertEquals(1, items.size(), () -> "expected one of " + items);
    return items.get(0);
  }

  private static void assertChildOf(SpanContext parent, SpanData span) {
    assertEquals(parent.getTraceId(), span.getTraceId(), span.getName());
    assertEquals(parent.getSpanId(), span.getParentSpanId(), span.getName());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 64, 2000})
  void aGetAllIsOneClientSpanInTheCallersTraceWhateverItsSize(int n) {
    KvNamespace<Workout> ns = workouts(open(Duration.ZERO, tracing.observability().build()));
    Map<String, Workout> data = Tracing.workouts(n);
    ns.putAll(data).join();
    tracing.reset();
    List<String> keys = new ArrayList<>(data.keySet());
    keys.add("user-42:missing");

    AtomicReference<Map<String, Workout>> got = new AtomicReference<>();
    SpanContext request = tracing.inRequest(() -> got.set(ns.getAll(keys).join()));

    assertEquals(data, got.get());
    SpanData span = only(tracing.kvSpans());
    assertEquals("getAll workout", span.getName());
    assertEquals(SpanKind.CLIENT, span.getKind());
    assertChildOf(request, span);
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    assertEquals(Attributes.builder()
        .put("db.system.name", "kvstore.memory")
        .put("db.operation.name", "getAll")
        .put("db.namespace", "workout")
        .put(KvOpenTelemetry.KEY_COUNT, (long) n + 1)
        .put(KvOpenTelemetry.FOUND, (long) n)
        .put(KvOpenTelemetry.ROUND_TRIPS, 1L)
        .put(KvOpenTelemetry.NODES, 1L)
        .build().asMap(), span.getAttributes().asMap(), "a multi-key read is not a batch: no batch size, no keys");
    assertEquals(List.of(), span.getEvents());
  }

  @Test
  void completionOnAnotherThreadStillJoinsTheTraceOfTheCall() throws Exception {
    Map<String, String> completedOn = new ConcurrentHashMap<>();
    Map<String, Boolean> spanCurrentAtCompletion = new ConcurrentHashMap<>();
    KvListener listener = KvListener.of(e -> {
      completedOn.put(e.namespace(), Thread.currentThread().getName());
      spanCurrentAtCompletion.put(e.namespace(), Span.current().getSpanContext().isValid());
    });
    KvStore store = open(Duration.ofMillis(5),
        tracing.observability().listener(listener).build());
    KvNamespace<Workout> a = store.namespace(NamespaceOptions.builder("a", Workout.class).build());
    KvNamespace<Workout> b = store.namespace(NamespaceOptions.builder("b", Workout.class).build());
    Map<String, Workout> data = Tracing.workouts(64);
    a.putAll(data).join();
    b.putAll(data).join();
    tracing.reset();

    // Two requests on two threads at once; each call's future is joined only after its request
    // span has ended and left the thread, so the parent can only come from the call itself.
    CountDownLatch bothCalled = new CountDownLatch(2);
    ExecutorService callers = Executors.newFixedThreadPool(2, r -> new Thread(r, "caller"));
    try {
      List<Future<SpanContext>> requests = new ArrayList<>();
      for (KvNamespace<Workout> ns : List.of(a, b)) {
        requests.add(callers.submit(() -> {
          AtomicReference<CompletableFuture<Map<String, Workout>>> pending =
              new AtomicReference<>();
          SpanContext request = tracing.inRequest(() -> {
            pending.set(ns.getAll(data.keySet()));
            assertFalse(Span.current().getSpanContext().getSpanId().isEmpty());
            bothCalled.countDown();
            awaitQuietly(bothCalled);
          });
          assertFalse(Span.current().getSpanContext().isValid(), "the request span is gone");
          assertEquals(64, pending.get().join().size());
          return request;
        }));
      }
      Map<String, SpanContext> parents = Map.of("a", requests.get(0).get(10, TimeUnit.SECONDS),
          "b", requests.get(1).get(10, TimeUnit.SECONDS));

      Map<String, SpanData> byNamespace = tracing.kvSpans().stream()
          .collect(Collectors.toMap(s -> s.getAttributes().get(stringKey("db.namespace")),
              s -> s));
      assertEquals(2, byNamespace.size());
      for (String ns : List.of("a", "b")) {
        assertChildOf(parents.get(ns), byNamespace.get(ns));
        assertNotEquals("caller", completedOn.get(ns), "completed by the network's thread");
        assertFalse(spanCurrentAtCompletion.get(ns),
            "no span is current where it completes: the parent was captured at the call");
      }
    } finally {
      callers.shutdownNow();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void theOperationsSpanIsNeverMadeCurrentOnTheCallersThread() {
    KvNamespace<Workout> ns = workouts(open(Duration.ofMillis(5),
        tracing.observability().build()));
    AtomicReference<String> currentAfterCall = new AtomicReference<>();
    AtomicReference<String> requestId = new AtomicReference<>();
    tracing.inRequest(() -> {
      requestId.set(Span.current().getSpanContext().getSpanId());
      CompletableFuture<?> pending = ns.get("k");
      currentAfterCall.set(Span.current().getSpanContext().getSpanId());
      pending.join();
    });
    assertEquals(requestId.get(), currentAfterCall.get());
  }

  @Test
  void writesDeletesListingsAndPingAreNamedAndCountedAsTheirEvents() {
    KvStore store = open(Duration.ZERO, tracing.observability().build());
    KvNamespace<Workout> ns = workouts(store);
    Map<String, Workout> three = Tracing.workouts(3);
    List<String> threeAndMissing = new ArrayList<>(three.keySet());
    threeAndMissing.add("user-42:missing");

    ns.blocking().putAll(three);
    ns.blocking().putAll(Tracing.workouts(1));
    ns.blocking().put("user-42:9", Workout.of("user-42", 3, 2));
    ns.blocking().listValues(ListOptions.prefix("user-42:").limit(2));
    ns.blocking().list(ListOptions.prefix("user-42:"));
    ns.blocking().deleteAll(threeAndMissing);
    store.ping().join();

    List<SpanData> spans = tracing.kvSpans();
    assertEquals(List.of("putAll workout", "putAll workout", "put workout", "listValues workout",
        "list workout", "deleteAll workout", "ping"),
        spans.stream().map(SpanData::getName).toList());
    assertEquals(3L, spans.get(0).getAttributes().get(longKey("db.operation.batch.size")),
        "a putAll of 3 is a batch of 3 writes");
    assertNull(spans.get(1).getAttributes().get(longKey("db.operation.batch.size")),
        "a putAll of 1 is not a batch");
    assertNull(spans.get(2).getAttributes().get(longKey("db.operation.batch.size")));
    assertEquals(List.of(3L, 1L, 1L, 2L, 4L, 4L, 0L), spans.stream()
        .map(s -> s.getAttributes().get(longKey(KvOpenTelemetry.KEY_COUNT))).toList());
    assertEquals(List.of(3L, 1L, 1L, 2L, 4L, 3L, 0L), spans.stream()
        .map(s -> s.getAttributes().get(longKey(KvOpenTelemetry.FOUND))).toList());
    assertTrue(spans.stream().allMatch(s -> s.getKind() == SpanKind.CLIENT
        && "kvstore.memory".equals(s.getAttributes().get(stringKey("db.system.name")))
        && s.getAttributes().get(longKey(KvOpenTelemetry.ROUND_TRIPS)) >= 1));
    SpanData ping = spans.get(6);
    assertEquals("ping", ping.getAttributes().get(stringKey("db.operation.name")));
    assertNull(ping.getAttributes().get(stringKey("db.namespace")));
  }

  @Test
  void aValueThatDoesNotDecodeIsAnErrorSpanWithItsTypeAndWithoutTheValue() {
    KvStore store = open(Duration.ZERO, tracing.observability().build());
    KvNamespace<Workout> ns = workouts(store);
    store.namespace(NamespaceOptions.builder("workout", KvCodec.bytes()).build()).blocking()
        .put("broken", "{\"secret\": tru".getBytes(StandardCharsets.UTF_8));
    tracing.reset();

    CompletionException thrown = assertThrows(CompletionException.class,
        () -> tracing.inRequest(() -> ns.get("broken").join()));

    KvCodecException error = assertInstanceOf(KvCodecException.class, thrown.getCause());
    SpanData span = only(tracing.kvSpans());
    assertEquals("get workout", span.getName());
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(error.getMessage(), span.getStatus().getDescription());
    assertEquals("io.kvstore.KvCodecException",
        span.getAttributes().get(stringKey("error.type")));
    EventData exception = only(span.getEvents());
    assertEquals("exception", exception.getName());
    assertEquals("io.kvstore.KvCodecException",
        exception.getAttributes().get(stringKey("exception.type")));
    String everything = span.getAttributes() + " " + exception.getAttributes() + " "
        + span.getStatus();
    assertFalse(everything.contains("secret"), everything);
    assertFalse(everything.contains("broken"), "the key is not logged by default: " + everything);
  }

  @Test
  void aBadArgumentThrowsWithoutASpanAndAClosedStoreIsAnErrorSpan() {
    KvStore store = open(Duration.ZERO, tracing.observability().build());
    KvNamespace<Workout> ns = workouts(store);
    assertThrows(KvValidationException.class, () -> tracing.inRequest(() -> ns.get("")));
    assertEquals(List.of(), tracing.kvSpans(), "rejected before anything started");

    store.close();
    CompletionException thrown = assertThrows(CompletionException.class,
        () -> tracing.inRequest(() -> ns.getAll(List.of("a", "b")).join()));

    assertInstanceOf(KvUnavailableException.class, thrown.getCause());
    SpanData span = only(tracing.kvSpans());
    assertEquals("getAll workout", span.getName());
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals("io.kvstore.KvUnavailableException",
        span.getAttributes().get(stringKey("error.type")));
    assertEquals(0L, span.getAttributes().get(longKey(KvOpenTelemetry.ROUND_TRIPS)));
  }

  @Test
  void nearCacheHitsAndMissesAreOnTheSpanAndAllHitsCostNoRoundTrip() {
    KvStore store = open(Duration.ZERO, tracing.observability().build());
    KvNamespace<Workout> ns = store.namespace(NamespaceOptions.builder("workout", Workout.class)
        .nearCache(NearCacheOptions.builder().build())
        .build());
    Map<String, Workout> data = Tracing.workouts(64);
    ns.putAll(data).join();
    tracing.reset();

    ns.getAll(data.keySet()).join();
    ns.getAll(data.keySet()).join();

    List<SpanData> spans = tracing.kvSpans();
    assertEquals(2, spans.size());
    Attributes cold = spans.get(0).getAttributes();
    assertEquals(0L, cold.get(longKey(KvOpenTelemetry.NEAR_CACHE_HITS)));
    assertEquals(64L, cold.get(longKey(KvOpenTelemetry.NEAR_CACHE_MISSES)));
    assertEquals(1L, cold.get(longKey(KvOpenTelemetry.ROUND_TRIPS)));
    Attributes warm = spans.get(1).getAttributes();
    assertEquals(64L, warm.get(longKey(KvOpenTelemetry.NEAR_CACHE_HITS)));
    assertEquals(0L, warm.get(longKey(KvOpenTelemetry.NEAR_CACHE_MISSES)));
    assertEquals(0L, warm.get(longKey(KvOpenTelemetry.ROUND_TRIPS)));
    assertEquals(64L, warm.get(longKey(KvOpenTelemetry.FOUND)));
  }

  @Test
  void blockingCallsAreTracedLikeAsyncOnesAndAScanIsOneSpanPerPage() {
    KvNamespace<Workout> ns = workouts(open(Duration.ofMillis(2),
        tracing.observability().build()));
    Map<String, Workout> data = Tracing.workouts(1001);
    ns.blocking().putAll(data);
    tracing.reset();

    AtomicReference<Long> scanned = new AtomicReference<>();
    SpanContext request = tracing.inRequest(() -> {
      assertEquals(1001, ns.blocking().getAll(data.keySet()).size());
      scanned.set(ns.blocking().scanValues("user-42:").count());
    });

    assertEquals(1001L, scanned.get());
    List<SpanData> spans = tracing.kvSpans();
    assertEquals(List.of("getAll workout", "listValues workout", "listValues workout"),
        spans.stream().map(SpanData::getName).toList(), "1001 entries are two pages of 1000");
    spans.forEach(span -> assertChildOf(request, span));
  }

  @Test
  void keysAppearOnlyWhenTheStoreOptedInAndThenAsTheSlowLogShowsThem() {
    KvNamespace<Workout> ns = workouts(open(Duration.ZERO,
        tracing.observability().logKeys(true).build()));
    ns.blocking().getAll(List.of("user-42:a", "user-42:b", "user-42:c", "user-42:d"));
    ns.blocking().listValues(ListOptions.prefix("user-42:"));

    List<SpanData> spans = tracing.kvSpans();
    assertEquals(List.of("user-42:a", "user-42:b", "user-42:c"),
        spans.get(0).getAttributes().get(stringArrayKey(KvOpenTelemetry.KEYS)));
    assertEquals("user-42:",
        spans.get(1).getAttributes().get(stringKey(KvOpenTelemetry.PREFIX)));
  }

  @Test
  void unsampledSpansAndTheNoopOpenTelemetryRecordNothingAndChangeNoResult() {
    try (Tracing unsampled = new Tracing(Sampler.alwaysOff())) {
      KvNamespace<Workout> ns = workouts(open(Duration.ZERO, unsampled.observability().build()));
      ns.blocking().put("k", Workout.of("u", 1, 1));
      unsampled.inRequest(() -> assertEquals("u", ns.blocking().get("k").orElseThrow().user()));
      assertEquals(List.of(), unsampled.all());
    }
    KvNamespace<Workout> ns = workouts(open(Duration.ZERO, ObservabilityOptions.builder()
        .tracer(KvOpenTelemetry.tracer(OpenTelemetry.noop())).build()));
    ns.blocking().put("k", Workout.of("u", 1, 1));
    assertEquals("u", ns.blocking().get("k").orElseThrow().user());
  }

  @Test
  void aNullOpenTelemetryIsRejected() {
    assertThrows(KvValidationException.class, () -> KvOpenTelemetry.tracer(null));
  }
}
