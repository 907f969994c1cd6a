package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.testing.Workout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Listener events and round-trip budgets report exactly what happened. */
class ObservabilityTest {
  @Test
  void oneEventPerLogicalOperationWithExactCounts() {
    List<KvEvent> events = new CopyOnWriteArrayList<>();
    KvListener failing = KvListener.of(e -> {
      throw new IllegalStateException("a broken listener must not break operations");
    });
    try (KvStore store = KvStores.inMemory(InMemoryOptions.builder()
        .observability(ObservabilityOptions.builder().listener(KvListener.of(events::add)).listener(failing)
            .build()).build())) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      ns.blocking().putAll(Map.of("a", Workout.of("a", 1, 1), "b", Workout.of("b", 1, 1)));
      ns.blocking().getAll(List.of("a", "b", "c"));
      ns.blocking().listValues(ListOptions.all());
      assertThrows(KvValidationException.class, () -> ns.get(""));

      assertEquals(3, events.size(), events::toString);
      KvEvent put = events.get(0);
      assertEquals(KvOperation.PUT_ALL, put.operation());
      assertEquals(2, put.keyCount());
      assertEquals(2, put.found());
      KvEvent getAll = events.get(1);
      assertEquals("workout", getAll.namespace());
      assertEquals(KvOperation.GET_ALL, getAll.operation());
      assertEquals(3, getAll.keyCount());
      assertEquals(2, getAll.found());
      assertEquals(1, getAll.roundTrips());
      assertEquals(1, getAll.nodes());
      assertEquals(Optional.empty(), getAll.error());
      assertTrue(getAll.succeeded());
      KvEvent list = events.get(2);
      assertEquals(KvOperation.LIST_VALUES, list.operation());
      assertEquals(2, list.keyCount());
    }
  }

  @Test
  void failedOperationsReportTheirErrorKind() {
    List<KvEvent> events = new CopyOnWriteArrayList<>();
    try (KvStore store = KvStores.inMemory(InMemoryOptions.builder()
        .observability(ObservabilityOptions.builder().listener(KvListener.of(events::add)).build()).build())) {
      KvNamespace<String> ns = store.namespace(
          NamespaceOptions.builder("t", KvCodec.utf8()).build());
      store.namespace(NamespaceOptions.builder("t", KvCodec.bytes()).build()).blocking()
          .put("bad", new byte[] {(byte) 0xff});
      assertThrows(KvCodecException.class, () -> ns.blocking().get("bad"));
      KvEvent last = events.get(events.size() - 1);
      assertEquals(Optional.of(KvCodecException.class), last.error());
      assertEquals(1, store.stats().errors());
    }
  }

  @Test
  void roundTripBudgetsFailLoopsOfSingleReads() {
    try (KvStore store = KvStores.inMemory()) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      List<String> keys = List.of("a", "b", "c", "d");
      assertEquals(1, KvRoundTrips.assertAtMost(store, 1, () -> ns.getAll(keys).join()));
      AssertionError e = assertThrows(AssertionError.class,
          () -> KvRoundTrips.assertAtMost(store, 1, () -> keys.forEach(k -> ns.get(k).join())));
      assertTrue(e.getMessage().contains("made 4"), e.getMessage());
    }
  }

  @Test
  void thresholdsAreValidated() {
    assertThrows(KvValidationException.class, () -> ObservabilityOptions.builder()
        .slowOperationThresholds(Duration.ofMillis(500), Duration.ofMillis(100)));
    ObservabilityOptions o = ObservabilityOptions.builder()
        .slowOperationThresholds(Duration.ofMillis(5), Duration.ofMillis(50)).build();
    assertEquals(Duration.ofMillis(5), o.toBuilder().build().slowOperationWarn());
  }
}
