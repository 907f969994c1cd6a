package io.kvstore.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvEvent;
import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.testkit.redis.RedisExtension;
import io.kvstore.testkit.redis.RedisServer;
import io.kvstore.testing.Workout;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Spans of the Redis adapter against a real {@code redis-server}. */
class RedisTracingTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  private final Tracing tracing = new Tracing();

  @AfterEach
  void close() {
    tracing.close();
  }

  private KvStore connect(String uri, KvListener listener) {
    return RedisKvStore.connect(uri, RedisKvOptions.builder()
        .observability(tracing.observability().listener(listener).build())
        .build());
  }

  @Test
  void aGetAllOf2000KeysIsFourMgetsInOneRoundTripAndExactlyOneSpan() {
    REDIS.flushAll();
    AtomicReference<String> completedOn = new AtomicReference<>();
    try (KvStore store = connect(REDIS.uri(),
        KvListener.of(e -> completedOn.set(Thread.currentThread().getName())))) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      Map<String, Workout> data = Tracing.workouts(2000);
      ns.putAll(data).join();
      tracing.reset();
      long mgetsBefore = REDIS.process().commandCalls("mget");
      String caller = Thread.currentThread().getName();

      AtomicReference<Map<String, Workout>> got = new AtomicReference<>();
      SpanContext request = tracing.inRequest(() -> got.set(ns.getAll(data.keySet()).join()));

      assertEquals(data, got.get());
      assertEquals(4, REDIS.process().commandCalls("mget") - mgetsBefore, "chunks of 500");
      assertEquals(2, tracing.all().size(), "the request and kvstore's one span: "
          + tracing.all().stream().map(SpanData::getName).toList());
      SpanData span = tracing.kvSpans().get(0);
      assertEquals("getAll workout", span.getName());
      assertEquals(request.getSpanId(), span.getParentSpanId());
      assertEquals(request.getTraceId(), span.getTraceId());
      assertEquals("redis", span.getAttributes().get(stringKey("db.system.name")));
      assertEquals(2000L, span.getAttributes().get(longKey(KvOpenTelemetry.KEY_COUNT)));
      assertEquals(2000L, span.getAttributes().get(longKey(KvOpenTelemetry.FOUND)));
      assertEquals(1L, span.getAttributes().get(longKey(KvOpenTelemetry.ROUND_TRIPS)));
      assertEquals(1L, span.getAttributes().get(longKey(KvOpenTelemetry.NODES)));
      assertNotEquals(caller, completedOn.get(), "completed off the caller's thread");
    }
  }

  @Test
  void anArgumentTheAdapterRejectsThrowsFromTheCallAndEndsItsSpanWithTheError() {
    List<KvEvent> events = new CopyOnWriteArrayList<>();
    try (KvStore store = connect(REDIS.uri(), KvListener.of(events::add))) {
      KvNamespace<Workout> ns = store.namespace(NamespaceOptions.builder("workout", Workout.class)
          .listing(Listing.indexedBy(Listing.firstSegment(':')))
          .build());

      assertThrows(KvValidationException.class,
          () -> ns.list(ListOptions.prefix("user-4")), "a prefix spanning partitions");

      SpanData span = tracing.kvSpans().get(0);
      assertEquals("list workout", span.getName());
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
      assertEquals("io.kvstore.KvValidationException",
          span.getAttributes().get(stringKey("error.type")));
      assertEquals(List.of(), events, "no event, as for the namespace's own argument checks");
    }
  }

  @Test
  void aServerThatIsGoneGivesAnErrorSpanWithTheKvExceptionType() {
    try (RedisServer server = RedisServer.start();
        KvStore store = connect(server.uri(), KvListener.of(e -> { }))) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      ns.blocking().put("user-42:0", Workout.of("user-42", 1, 1));
      tracing.reset();
      server.kill();

      CompletionException thrown = assertThrows(CompletionException.class,
          () -> ns.getAll(List.of("user-42:0")).join());

      SpanData span = tracing.kvSpans().get(0);
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
      String type = span.getAttributes().get(stringKey("error.type"));
      assertEquals(thrown.getCause().getClass().getName(), type);
      assertTrue(Set.of("io.kvstore.KvUnavailableException", "io.kvstore.KvTimeoutException")
          .contains(type), type);
      assertEquals(1, span.getEvents().size(), "the exception, recorded");
    }
  }
}
