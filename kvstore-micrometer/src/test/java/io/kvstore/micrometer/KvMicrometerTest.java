package io.kvstore.micrometer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.DecodeFailure;
import io.kvstore.InMemoryOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import io.kvstore.KvEvent;
import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvOperation;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.ObservabilityOptions;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Micrometer listener turns the in-memory store's events into exact meter readings. */
class KvMicrometerTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private KvStore store;
  private KvNamespace<String> workouts;
  private final List<String> keys = new ArrayList<>();

  @BeforeEach
  void open() {
    store = KvStores.inMemory(InMemoryOptions.builder()
        .observability(ObservabilityOptions.builder()
            .listener(KvMicrometer.listener(registry, Tags.of("store", "test")))
            .build())
        .build());
    workouts = store.namespace(NamespaceOptions.builder("workout", KvCodec.utf8()).build());
    Map<String, String> data = new LinkedHashMap<>();
    for (int i = 0; i < 64; i++) {
      String key = String.format("user-42:w%02d:d%d", 1 + i / 4, 1 + i % 4);
      data.put(key, "{\"done\":true}");
      keys.add(key);
    }
    workouts.blocking().putAll(data);
  }

  @AfterEach
  void close() {
    store.close();
    registry.close();
  }

  private Timer timer(String namespace, String operation, String outcome) {
    return registry.get(KvMicrometer.OPERATIONS)
        .tags("store", "test", "namespace", namespace, "operation", operation, "outcome", outcome)
        .timer();
  }

  private double counter(String name, String namespace, String operation) {
    return registry.get(name)
        .tags("store", "test", "namespace", namespace, "operation", operation)
        .counter().count();
  }

  @Test
  void timersCountOperationsByNamespaceOperationAndOutcome() {
    keys.forEach(k -> workouts.blocking().get(k));
    workouts.blocking().getAll(keys);
    workouts.blocking().listValues(ListOptions.prefix("user-42:w01").limit(3));
    store.ping().join();

    assertEquals(1, timer("workout", "putAll", "success").count());
    assertEquals(64, timer("workout", "get", "success").count());
    assertEquals(1, timer("workout", "getAll", "success").count());
    assertEquals(1, timer("workout", "listValues", "success").count());
    assertEquals(1, timer("", "ping", "success").count());
    assertEquals(5, registry.find(KvMicrometer.OPERATIONS).timers().size(),
        "no error timers before the first error");

    assertEquals(64, counter(KvMicrometer.ROUND_TRIPS, "workout", "get"));
    assertEquals(1, counter(KvMicrometer.ROUND_TRIPS, "workout", "getAll"));
    assertEquals(1, counter(KvMicrometer.ROUND_TRIPS, "workout", "putAll"));
    assertEquals(64, counter(KvMicrometer.KEYS_READ, "workout", "get"));
    assertEquals(64, counter(KvMicrometer.KEYS_READ, "workout", "getAll"));
    assertEquals(3, counter(KvMicrometer.KEYS_READ, "workout", "listValues"));
    assertNull(registry.find(KvMicrometer.KEYS_READ).tag("operation", "putAll").counter(),
        "writes read no keys");
    assertNull(registry.find(KvMicrometer.NEAR_CACHE_GETS).counter(), "no near cache here");
    assertNull(registry.find(KvMicrometer.ERRORS).counter());
  }

  @Test
  void percentilesArePublished() {
    keys.forEach(k -> workouts.blocking().get(k));
    ValueAtPercentile[] percentiles =
        timer("workout", "get", "success").takeSnapshot().percentileValues();
    assertArrayEquals(new double[] {0.5, 0.95, 0.99},
        Arrays.stream(percentiles).mapToDouble(ValueAtPercentile::percentile).toArray());
  }

  @Test
  void errorsAreCountedByExceptionSimpleName() {
    store.namespace(NamespaceOptions.builder("broken", KvCodec.bytes()).build()).blocking()
        .put("k", new byte[] {(byte) 0xff});
    KvNamespace<String> broken =
        store.namespace(NamespaceOptions.builder("broken", KvCodec.utf8()).build());
    assertThrows(KvCodecException.class, () -> broken.blocking().get("k"));
    assertThrows(KvCodecException.class, () -> broken.blocking().get("k"));
    assertThrows(KvValidationException.class, () -> broken.blocking().get(""));

    assertEquals(2, timer("broken", "get", "error").count());
    assertEquals(2, registry.get(KvMicrometer.ERRORS).tags("store", "test",
        "namespace", "broken", "operation", "get", "exception", "KvCodecException")
        .counter().count());
    assertEquals(1, registry.find(KvMicrometer.ERRORS).counters().size(),
        "validation failures send nothing and raise no event");
    assertEquals(2, counter(KvMicrometer.ROUND_TRIPS, "broken", "get"));
  }

  @Test
  void decodeFailuresAreCountedAlsoWhenTheNamespaceAnswersThemAsMisses() {
    store.namespace(NamespaceOptions.builder("lenient", KvCodec.bytes()).build()).blocking()
        .putAll(Map.of("bad", new byte[] {(byte) 0xff}, "good", new byte[] {'o', 'k'}));
    KvNamespace<String> lenient = store.namespace(NamespaceOptions.builder("lenient",
        KvCodec.utf8()).onDecodeFailure(DecodeFailure.MISS).build());
    assertTrue(lenient.blocking().get("bad").isEmpty());
    assertEquals(Map.of("good", "ok"), lenient.blocking().getAll(List.of("bad", "good")));

    assertEquals(1, registry.get(KvMicrometer.DECODE_FAILURES).tags("store", "test",
        "namespace", "lenient", "operation", "get").counter().count());
    assertEquals(1, registry.get(KvMicrometer.DECODE_FAILURES).tags("store", "test",
        "namespace", "lenient", "operation", "getAll").counter().count());
    assertEquals(1, timer("lenient", "get", "success").count(), "a miss, not an error");
    assertNull(registry.find(KvMicrometer.DECODE_FAILURES).tags("namespace", "workout")
        .counter(), "registered on the first failure only");
  }

  @Test
  void nearCacheHitsAndMissesAreCountedPerKey() {
    KvListener listener = KvMicrometer.listener(registry);
    listener.onOperation(KvEvent.builder("profile", KvOperation.GET_ALL).keyCount(10).found(10)
        .nearCacheHits(7).nearCacheMisses(3).roundTrips(1).nodes(1).duration(Duration.ofMillis(4))
        .build());
    listener.onOperation(KvEvent.builder("profile", KvOperation.GET_ALL).keyCount(5).found(5)
        .nearCacheHits(5).duration(Duration.ofMillis(1)).build());

    assertEquals(12, registry.get(KvMicrometer.NEAR_CACHE_GETS)
        .tags("namespace", "profile", "operation", "getAll", "result", "hit").counter().count());
    assertEquals(3, registry.get(KvMicrometer.NEAR_CACHE_GETS)
        .tags("namespace", "profile", "operation", "getAll", "result", "miss").counter().count());
    Timer timer = registry.get(KvMicrometer.OPERATIONS)
        .tags("namespace", "profile", "operation", "getAll", "outcome", "success").timer();
    assertEquals(2, timer.count());
    assertEquals(5, timer.totalTime(TimeUnit.MILLISECONDS));
    assertEquals(15, registry.get(KvMicrometer.KEYS_READ)
        .tags("namespace", "profile", "operation", "getAll").counter().count());
  }

  @Test
  void operationTagsAreMethodNames() {
    assertEquals(List.of("get", "getAll", "put", "putAll", "delete", "deleteAll", "list",
            "listValues", "ping", "reindex", "getVersioned", "replace", "deleteIf", "update", "increment"),
        Arrays.stream(KvOperation.values()).map(KvMicrometer::methodName).toList());
  }

  @Test
  void argumentsAreChecked() {
    assertThrows(KvValidationException.class, () -> KvMicrometer.listener(null));
    assertThrows(KvValidationException.class, () -> KvMicrometer.listener(registry, null));
  }
}
