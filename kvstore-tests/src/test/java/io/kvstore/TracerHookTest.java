package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.testing.Workout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The {@link KvTracer} hook: when it is called, on which thread, and with what. */
class TracerHookTest {
  /** One traced operation: its start, the threads involved, and its end once it came. */
  static final class Traced implements KvTracer.OperationSpan {
    final KvOperationStart start;
    final String startThread = Thread.currentThread().getName();
    final List<KvOperationEnd> ends = new CopyOnWriteArrayList<>();
    volatile String endThread;

    Traced(KvOperationStart start) {
      this.start = start;
    }

    @Override
    public void end(KvOperationEnd end) {
      endThread = Thread.currentThread().getName();
      ends.add(end);
    }
  }

  private final List<Traced> traced = new CopyOnWriteArrayList<>();
  private final List<KvEvent> events = new CopyOnWriteArrayList<>();

  private KvStore open(Duration latency, boolean logKeys, KvTracer tracer) {
    return KvStores.inMemory(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(latency))
        .observability(ObservabilityOptions.builder()
            .tracer(tracer)
            .listener(KvListener.of(events::add))
            .logKeys(logKeys)
            .build())
        .build());
  }

  private KvStore open(Duration latency, boolean logKeys) {
    return open(latency, logKeys, start -> {
      Traced t = new Traced(start);
      traced.add(t);
      return t;
    });
  }

  private static Map<String, Workout> workouts(int n) {
    Map<String, Workout> data = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Workout w = Workout.of("user-42", i / 4 + 1, i % 4 + 1);
      data.put(w.key(), w);
    }
    return data;
  }

  @Test
  void startsOnTheCallersThreadAndEndsOnceOnTheCompletingThreadBeforeTheFuture() {
    try (KvStore store = open(Duration.ofMillis(5), false)) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      Map<String, Workout> data = workouts(64);
      ns.putAll(data).join();
      traced.clear();
      events.clear();

      String caller = Thread.currentThread().getName();
      List<String> keys = new ArrayList<>(data.keySet());
      keys.add("user-42:missing");
      Map<String, Workout> got = ns.getAll(keys).join();

      assertEquals(64, got.size());
      assertEquals(1, traced.size(), "one span for a getAll of 65 keys");
      Traced t = traced.get(0);
      assertEquals(new KvOperationStart("kvstore.memory", "workout", KvOperation.GET_ALL, 65),
          t.start);
      assertEquals(caller, t.startThread);
      assertNotEquals(caller, t.endThread, "completed by the simulated network's thread");
      assertEquals(1, t.ends.size(), "ended before the caller's future completed, once");
      KvOperationEnd end = t.ends.get(0);
      assertSame(events.get(0), end.event(), "the listeners' event");
      assertEquals(65, end.event().keyCount());
      assertEquals(64, end.event().found());
      assertEquals(1, end.event().roundTrips());
      assertEquals(Optional.empty(), end.error());
      assertEquals(List.of(), end.keys(), "keys are not logged by default");
      assertEquals(Optional.empty(), end.prefix());
    }
  }

  @Test
  void everyOperationIsTracedOnceAndStoreLevelOnesHaveNoNamespace() {
    try (KvStore store = open(Duration.ZERO, false)) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      Map<String, Workout> data = workouts(3);
      ns.blocking().putAll(data);
      ns.blocking().get("user-42:w01:d1");
      ns.blocking().listValues(ListOptions.prefix("user-42:"));
      ns.blocking().deleteAll(data.keySet());
      store.ping().join();

      assertEquals(List.of(
          new KvOperationStart("kvstore.memory", "workout", KvOperation.PUT_ALL, 3),
          new KvOperationStart("kvstore.memory", "workout", KvOperation.GET, 1),
          new KvOperationStart("kvstore.memory", "workout", KvOperation.LIST_VALUES, 0),
          new KvOperationStart("kvstore.memory", "workout", KvOperation.DELETE_ALL, 3),
          new KvOperationStart("kvstore.memory", "", KvOperation.PING, 0)),
          traced.stream().map(t -> t.start).toList());
      assertTrue(traced.stream().allMatch(t -> t.ends.size() == 1));
      assertEquals(events, traced.stream().map(t -> t.ends.get(0).event()).toList());
    }
  }

  @Test
  void callsWithBadArgumentsAreNotTracedAndAClosedStoreIsAnErrorSpan() {
    KvStore store = open(Duration.ZERO, false);
    KvNamespace<Workout> ns = store.namespace(
        NamespaceOptions.builder("workout", Workout.class).build());
    assertThrows(KvValidationException.class, () -> ns.get(""));
    assertThrows(KvValidationException.class, () -> ns.getAll(List.of("ok", "")));
    assertEquals(List.of(), traced);
    assertEquals(List.of(), events);

    store.close();
    CompletionException closed = assertThrows(CompletionException.class,
        () -> ns.get("k").join());
    assertInstanceOf(KvUnavailableException.class, closed.getCause());
    KvOperationEnd end = traced.get(0).ends.get(0);
    assertSame(closed.getCause(), end.error().orElseThrow());
    assertEquals(List.of(end.event()), events, "the same failure the listeners see");
  }

  @Test
  void aFailureEndsTheSpanWithTheExceptionTheCallerGets() {
    try (KvStore store = open(Duration.ZERO, false)) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      store.namespace(NamespaceOptions.builder("workout", KvCodec.bytes()).build()).blocking()
          .put("broken", "not json".getBytes(StandardCharsets.UTF_8));
      traced.clear();

      CompletionException thrown = assertThrows(CompletionException.class,
          () -> ns.get("broken").join());

      KvOperationEnd end = traced.get(0).ends.get(0);
      KvCodecException error = assertInstanceOf(KvCodecException.class, thrown.getCause());
      assertSame(error, end.error().orElseThrow());
      assertEquals(Optional.of(KvCodecException.class), end.event().error());
    }
  }

  @Test
  void keysReachTheTracerOnlyWhenTheStoreLetsKeysBeLoggedAndAsTheSlowLogShowsThem() {
    try (KvStore store = open(Duration.ZERO, true)) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      String longKey = "k".repeat(100);
      ns.blocking().getAll(List.of(longKey, "b", "c", "d"));
      ns.blocking().list(ListOptions.prefix("user-42:"));

      KvOperationEnd getAll = traced.get(0).ends.get(0);
      assertEquals(List.of("k".repeat(64) + "…", "b", "c"), getAll.keys());
      assertEquals(Optional.empty(), getAll.prefix());
      KvOperationEnd list = traced.get(1).ends.get(0);
      assertEquals(List.of(), list.keys());
      assertEquals(Optional.of("user-42:"), list.prefix());
    }
  }

  @Test
  void aTracerThatThrowsIsIgnoredAndTheOperationCompletes() {
    KvTracer failsToStart = start -> {
      throw new IllegalStateException("tracer bug");
    };
    KvTracer failsToEnd = start -> end -> {
      throw new IllegalStateException("tracer bug");
    };
    try (LogCapture log = new LogCapture("io.kvstore.internal.Operation")) {
      for (KvTracer tracer : List.of(failsToStart, failsToEnd)) {
        try (KvStore store = open(Duration.ZERO, false, tracer)) {
          KvNamespace<Workout> ns = store.namespace(
              NamespaceOptions.builder("workout", Workout.class).build());
          ns.blocking().put("k", Workout.of("u", 1, 1));
          assertEquals("u", ns.blocking().get("k").orElseThrow().user());
        }
      }
      assertEquals(2, log.linesContaining("failed to start").size());
      assertEquals(2, log.linesContaining("failed to end the span of").size());
    }
    assertEquals(4, events.size(), "listeners still see every operation");
  }

  @Test
  void theTracerIsAnOptionThatDerivesAndRejectsNull() {
    KvTracer tracer = start -> end -> { };
    ObservabilityOptions options = ObservabilityOptions.builder().tracer(tracer).build();
    assertSame(tracer, options.tracer().orElseThrow());
    assertSame(tracer, options.toBuilder().build().tracer().orElseThrow());
    assertEquals(Optional.empty(), ObservabilityOptions.defaults().tracer());
    assertThrows(KvValidationException.class, () -> ObservabilityOptions.builder().tracer(null));
  }
}
