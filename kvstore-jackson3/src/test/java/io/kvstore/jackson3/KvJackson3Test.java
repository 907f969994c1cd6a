package io.kvstore.jackson3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvValidationException;
import io.kvstore.NamespaceOptions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

class KvJackson3Test {
  record Workout(String user, int week, Instant completedAt, Optional<String> note) {}

  private final KvStore store = KvStores.inMemory();

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void roundTripsRecordsWithTimeAndOptionalThroughAStore() {
    KvNamespace<Workout> done = store.namespace(NamespaceOptions.builder("workout",
        KvJackson3.codec(JsonMapper.builder().build(), Workout.class)).build());
    Workout a = new Workout("ada", 3, Instant.parse("2026-12-01T10:15:30Z"), Optional.of("easy"));
    Workout b = new Workout("bob", 4, Instant.parse("2026-12-02T10:15:30Z"), Optional.empty());

    done.putAll(Map.of("ada:w03", a, "bob:w04", b)).join();

    assertEquals(Map.of("ada:w03", a, "bob:w04", b),
        done.getAll(List.of("ada:w03", "bob:w04")).join());
  }

  @Test
  void writesTheJsonTheApplicationsMapperWrites() {
    JsonMapper snake = JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .build();
    KvNamespace<Workout> done = store.namespace(
        NamespaceOptions.builder("workout", KvJackson3.codec(snake, Workout.class)).build());
    KvNamespace<String> raw = store.namespace(
        NamespaceOptions.builder("workout", KvCodec.utf8()).build());

    done.put("ada:w03", new Workout("ada", 3, Instant.parse("2026-12-01T10:15:30Z"),
        Optional.empty())).join();

    assertEquals("{\"user\":\"ada\",\"week\":3,\"completed_at\":\"2026-12-01T10:15:30Z\","
        + "\"note\":null}", raw.blocking().get("ada:w03").orElseThrow());
  }

  @Test
  void aStoredJsonNullOrMalformedValueFailsThatKeyAsACodecError() {
    KvNamespace<Workout> done = store.namespace(NamespaceOptions.builder("workout",
        KvJackson3.codec(JsonMapper.builder().build(), Workout.class)).build());
    KvNamespace<String> raw = store.namespace(
        NamespaceOptions.builder("workout", KvCodec.utf8()).build());
    raw.putAll(Map.of("null", "null", "broken", "{\"user\":")).join();

    for (String key : List.of("null", "broken")) {
      CompletionException e = assertThrows(CompletionException.class, () -> done.get(key).join());
      assertInstanceOf(KvCodecException.class, e.getCause(), key);
    }
  }

  @Test
  void nullArgumentsAreRejectedUpFront() {
    assertThrows(KvValidationException.class, () -> KvJackson3.codec(null, Workout.class));
    assertThrows(KvValidationException.class,
        () -> KvJackson3.codec(JsonMapper.builder().build(), null));
  }
}
