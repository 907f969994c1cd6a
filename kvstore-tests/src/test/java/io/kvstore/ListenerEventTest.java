package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.testing.Workout;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every operation raises exactly one event, with every field issue 8 asks for. */
class ListenerEventTest {
  private static final Duration LATENCY = Duration.ofMillis(5);

  private final List<KvEvent> first = new CopyOnWriteArrayList<>();
  private final List<KvEvent> second = new CopyOnWriteArrayList<>();

  private KvStore open(Duration latency) {
    return KvStores.inMemory(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(latency))
        .observability(ObservabilityOptions.builder()
            .listener(KvListener.of(first::add))
            .listener(KvListener.of(second::add))
            .build())
        .build());
  }

  private static KvEvent event(String namespace, KvOperation operation, int keyCount, int found,
      int roundTrips, Class<? extends Throwable> error, Duration duration) {
    return KvEvent.builder(namespace, operation).keyCount(keyCount).found(found)
        .roundTrips(roundTrips).nodes(1).duration(duration).error(error).build();
  }

  /** The event with its duration replaced, since durations differ from run to run. */
  private static KvEvent withDuration(KvEvent e, Duration d) {
    return e.toBuilder().duration(d).build();
  }

  @Test
  void eachOperationRaisesOneEventWithExactCounts() {
    try (KvStore store = open(Duration.ZERO)) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("events", Workout.class).build());
      Map<String, Workout> three = new LinkedHashMap<>();
      for (int day = 1; day <= 3; day++) {
        Workout w = Workout.of("user-42", 1, day);
        three.put(w.key(), w);
      }
      List<String> keys = List.copyOf(three.keySet());

      ns.blocking().putAll(three);
      ns.blocking().put("user-42:w02:d1", Workout.of("user-42", 2, 1));
      ns.blocking().putIfAbsent("user-42:w02:d1", Workout.of("user-42", 2, 1),
          PutOptions.defaults());
      ns.blocking().get(keys.get(0));
      ns.blocking().get("user-42:w09:d9");
      ns.blocking().getAll(List.of(keys.get(0), keys.get(1), "nope", keys.get(0)));
      ns.blocking().getAllResults(keys);
      ns.blocking().list(ListOptions.prefix("user-42:w01"));
      ns.blocking().listValues(ListOptions.prefix("user-42:").limit(2));
      ns.blocking().delete("user-42:w02:d1");
      ns.blocking().delete("user-42:w02:d1");
      ns.blocking().deleteAll(List.of(keys.get(0), keys.get(1), "nope"));
      store.ping().join();
      assertThrows(KvValidationException.class, () -> ns.get(""));

      Duration d = Duration.ZERO;
      List<KvEvent> expected = List.of(
          event("events", KvOperation.PUT_ALL, 3, 3, 1, null, d),
          event("events", KvOperation.PUT, 1, 1, 1, null, d),
          event("events", KvOperation.PUT, 1, 0, 1, null, d),
          event("events", KvOperation.GET, 1, 1, 1, null, d),
          event("events", KvOperation.GET, 1, 0, 1, null, d),
          event("events", KvOperation.GET_ALL, 3, 2, 1, null, d),
          event("events", KvOperation.GET_ALL, 3, 3, 1, null, d),
          event("events", KvOperation.LIST, 3, 3, 1, null, d),
          event("events", KvOperation.LIST_VALUES, 2, 2, 1, null, d),
          event("events", KvOperation.DELETE, 1, 1, 1, null, d),
          event("events", KvOperation.DELETE, 1, 0, 1, null, d),
          event("events", KvOperation.DELETE_ALL, 3, 2, 1, null, d),
          event("", KvOperation.PING, 0, 0, 1, null, d));
      assertEquals(expected, first.stream().map(e -> withDuration(e, d)).toList());
      assertEquals(first, second, "every listener sees every event, in the same order");
      assertEquals(KvStats.builder().operations(13).roundTrips(13).keysRead(13).build(),
          store.stats());
    }
  }

  @Test
  void failuresCarryTheirErrorKindAndStillCount() {
    try (KvStore store = open(Duration.ZERO)) {
      store.namespace(NamespaceOptions.builder("broken", KvCodec.utf8()).build()).blocking()
          .put("k", "not json");
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("broken", Workout.class).build());
      assertThrows(KvCodecException.class, () -> ns.blocking().get("k"));

      KvEvent failed = first.get(1);
      assertEquals(KvEvent.builder("broken", KvOperation.GET).keyCount(1).found(1).roundTrips(1)
          .nodes(1).duration(failed.duration()).error(KvCodecException.class).decodeFailures(1)
          .build(), failed);
      assertFalse(failed.succeeded());
      assertEquals(1, store.stats().errors());
      assertEquals(1, store.stats().decodeFailures());
    }
  }

  @Test
  void durationCoversTheRoundTrips() {
    try (KvStore store = open(LATENCY)) {
      KvNamespace<String> ns = store.namespace(
          NamespaceOptions.builder("slow", KvCodec.utf8()).build());
      ns.blocking().listValues(ListOptions.all());
      KvEvent e = first.get(0);
      assertEquals(KvOperation.LIST_VALUES, e.operation());
      assertEquals(1, e.roundTrips());
      assertTrue(e.duration().compareTo(LATENCY) >= 0, e.duration() + " < " + LATENCY);
    }
  }

  @Test
  void eventsNeverCarryKeysOrValues() {
    try (KvStore store = open(Duration.ZERO)) {
      KvNamespace<String> ns = store.namespace(
          NamespaceOptions.builder("secret", KvCodec.utf8()).build());
      ns.blocking().put("user-secret-4242", "TOPSECRET-VALUE");
      ns.blocking().get("user-secret-4242");
      ns.blocking().listValues(ListOptions.prefix("user-secret"));
      assertEquals(3, first.size());
      for (KvEvent e : first) {
        assertFalse(e.toString().contains("user-secret"), e::toString);
        assertFalse(e.toString().contains("TOPSECRET"), e::toString);
      }
    }
  }
}
