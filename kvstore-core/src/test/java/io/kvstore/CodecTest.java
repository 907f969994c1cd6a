package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.testkit.Workout;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JSON codec's safe defaults, and hostile stored values failing only their own key. */
class CodecTest {
  private final KvStore store = KvStores.inMemory();
  private final KvNamespace<Workout> workouts = store.namespace(
      NamespaceOptions.builder("workout", Workout.class).build());
  private final BlockingKvNamespace<byte[]> raw = store.namespace(
      NamespaceOptions.builder("workout", KvCodec.bytes()).build()).blocking();

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void recordsWithInstantsRoundTripAsReadableJson() {
    Workout w = Workout.of("u", 2, 3);
    byte[] json = KvCodec.json(Workout.class).encode(w);
    String text = new String(json, StandardCharsets.UTF_8);
    assertTrue(text.contains("\"completedAt\":\"2026-03-"), text);
    assertEquals(w, KvCodec.json(Workout.class).decode(json));
  }

  @Test
  void hostileValuesFailOnlyTheirOwnKey() {
    workouts.blocking().put("good", Workout.of("u", 1, 1));
    raw.put("typed", ("{\"@class\":\"java.net.URL\",\"user\":\"u\",\"week\":1,\"day\":1,"
        + "\"completedAt\":\"2026-01-01T00:00:00Z\",\"exercises\":[]}")
        .getBytes(StandardCharsets.UTF_8));
    raw.put("deep", ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8));
    raw.put("trailing", "{} {}".getBytes(StandardCharsets.UTF_8));
    raw.put("null", "null".getBytes(StandardCharsets.UTF_8));

    Map<String, KvResult<Workout>> results = workouts.blocking()
        .getAllResults(List.of("good", "typed", "deep", "trailing", "null"));

    assertInstanceOf(KvResult.Found.class, results.get("good"));
    for (String key : List.of("typed", "deep", "trailing", "null")) {
      KvResult<Workout> result = results.get(key);
      assertInstanceOf(KvResult.Failed.class, result, key);
      assertInstanceOf(KvCodecException.class, ((KvResult.Failed<Workout>) result).error(), key);
    }
  }

  @Test
  void oversizedStoredValuesFailWithoutBeingDecoded() {
    KvNamespace<String> small = store.namespace(
        NamespaceOptions.builder("small", KvCodec.utf8()).maxValueBytes(1000).build());
    store.namespace(NamespaceOptions.builder("small", KvCodec.utf8()).build()).blocking()
        .put("big", "x".repeat(5000));
    KvCodecException e = assertThrows(KvCodecException.class, () -> small.blocking().get("big"));
    assertTrue(e.getMessage().contains("5000 bytes"), e.getMessage());
  }

  @Test
  void messagesNeverContainValuesAndKeysOnlyWhenAllowed() {
    String secretKey = "user-secret-4242";
    String secretValue = "{\"user\":\"TOPSECRET-VALUE\",\"week\":\"not-a-number\"}";
    raw.put(secretKey, secretValue.getBytes(StandardCharsets.UTF_8));
    KvCodecException e = assertThrows(KvCodecException.class,
        () -> workouts.blocking().get(secretKey));
    assertFalse(e.getMessage().contains("TOPSECRET"), e.getMessage());
    assertFalse(e.getMessage().contains("not-a-number"), e.getMessage());
    assertFalse(e.getMessage().contains(secretKey), e.getMessage());
    assertEquals(secretKey, e.key());

    try (KvStore open = KvStores.inMemory(InMemoryOptions.builder()
        .observability(ObservabilityOptions.builder().logKeys(true).build()).build())) {
      KvNamespace<Workout> ns = open.namespace(
          NamespaceOptions.builder("w", Workout.class).build());
      open.namespace(NamespaceOptions.builder("w", KvCodec.utf8()).build()).blocking()
          .put(secretKey, secretValue);
      KvCodecException shown = assertThrows(KvCodecException.class,
          () -> ns.blocking().get(secretKey));
      assertTrue(shown.getMessage().contains(secretKey), shown.getMessage());
      assertFalse(shown.getMessage().contains("TOPSECRET"), shown.getMessage());
    }
  }

  /** A value with long numbers and a long map key, each beyond a Jackson default read limit. */
  record Measures(BigInteger count, BigDecimal ratio, Map<String, Integer> byName) {}

  /**
   * Issue 21 item 8: the JSON codec reads back every number and property name it writes, however
   * long; only the namespace's {@code maxValueBytes} bounds them.
   */
  @Test
  void jsonReadsBackLongNumbersAndPropertyNamesItWrote() {
    KvNamespace<Measures> ns = store.namespace(
        NamespaceOptions.builder("measures", Measures.class).build());
    Measures m = new Measures(new BigInteger("7".repeat(5_000)),
        new BigDecimal("1." + "3".repeat(5_000)), Map.of("n".repeat(60_000), 1));
    ns.blocking().put("m", m);
    assertEquals(Optional.of(m), ns.blocking().get("m"));
  }

  /**
   * Issue 21 item 8: nesting is bounded the same way on both sides (Jackson's depth 1000), so a
   * value nested too deeply to read is refused when written, not stored and lost.
   */
  @Test
  void jsonNestingIsBoundedAlikeOnWriteAndRead() {
    KvNamespace<Object> any = store.namespace(
        NamespaceOptions.builder("any", KvCodec.json(Object.class)).build());
    any.blocking().put("deepest", nested(1000));
    assertEquals(Optional.of(nested(1000)), any.blocking().get("deepest"));
    assertThrows(KvCodecException.class, () -> any.blocking().put("too-deep", nested(1001)));
    assertEquals(Optional.empty(), any.blocking().get("too-deep"));
  }

  private static Object nested(int depth) {
    Object value = List.of();
    for (int i = 1; i < depth; i++) {
      value = List.of(value);
    }
    return value;
  }

  @Test
  void utf8CodecRejectsMalformedBytes() {
    assertThrows(IllegalArgumentException.class,
        () -> KvCodec.utf8().decode(new byte[] {(byte) 0xc3, 0x28}));
    assertEquals("ok", KvCodec.utf8().decode("ok".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aValueThatCannotBeEncodedFailsTheCallBeforeAnyWrite() {
    KvNamespace<Object> any = store.namespace(
        NamespaceOptions.builder("any", KvCodec.json(Object.class)).build());
    Object selfReferencing = new Object() {
      @SuppressWarnings("unused")
      public Object getSelf() {
        return this;
      }
    };
    assertThrows(KvCodecException.class, () -> any.put("k", selfReferencing));
    assertEquals(0, any.blocking().list(ListOptions.all()).keys().size());
  }
}
