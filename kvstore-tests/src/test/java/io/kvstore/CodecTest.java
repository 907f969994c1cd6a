package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.testing.Workout;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JSON codec's safe defaults (lenient about properties, never about types), strict mode,
 * versioned values' format and bad schemas, and hostile stored values failing only their own key.
 */
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
    raw.put("typed", ("{\"@class\":\"java.net.URL\",\"user\":\"u\",\"week\":\"x\","
        + "\"day\":1,\"completedAt\":\"2026-01-01T00:00:00Z\",\"exercises\":[]}")
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

  /** A newer writer's value: one property more than {@link Workout} has. */
  private static final String NEWER = "{\"user\":\"u\",\"week\":1,\"day\":2,"
      + "\"completedAt\":\"2026-01-01T00:00:00Z\",\"exercises\":[],\"coachNote\":\"n\"}";

  /** An older writer's value: no {@code day}, no {@code exercises}. */
  private static final String OLDER =
      "{\"user\":\"u\",\"week\":1,\"completedAt\":\"2026-01-01T00:00:00Z\"}";

  /**
   * A record with optional and nullable components.
   *
   * @param user the user
   * @param note absent in older values
   * @param rating absent in older values
   */
  record Rated(String user, Optional<String> note, Integer rating) {}

  @Test
  void jsonIsLenientByDefaultUnknownPropertiesIgnoredMissingOnesAbsent() {
    KvCodec<Workout> json = KvCodec.json(Workout.class);
    assertEquals(new Workout("u", 1, 2, Instant.parse("2026-01-01T00:00:00Z"), List.of()),
        json.decode(NEWER.getBytes(StandardCharsets.UTF_8)));
    assertEquals(new Workout("u", 1, 0, Instant.parse("2026-01-01T00:00:00Z"), null),
        json.decode(OLDER.getBytes(StandardCharsets.UTF_8)));
    KvCodec<Rated> rated = KvCodec.json(Rated.class);
    assertEquals(new Rated("u", Optional.empty(), null),
        rated.decode("{\"user\":\"u\"}".getBytes(StandardCharsets.UTF_8)));
    Rated full = new Rated("u", Optional.of("good"), 5);
    assertEquals(full, rated.decode(rated.encode(full)));
    assertEquals("{\"user\":\"u\",\"note\":\"good\",\"rating\":5}",
        new String(rated.encode(full), StandardCharsets.UTF_8));
  }

  @Test
  void lenientIsAboutPropertiesNeverAboutTypes() {
    raw.put("k", "{\"@class\":\"java.net.URL\",\"user\":\"u\",\"week\":1}"
        .getBytes(StandardCharsets.UTF_8));
    Workout read = workouts.blocking().get("k").orElseThrow();
    assertEquals("u", read.user(), "@class is just an unknown property: it picks no type");
    raw.put("wrong", "{\"user\":\"u\",\"week\":\"one\"}".getBytes(StandardCharsets.UTF_8));
    assertThrows(KvCodecException.class, () -> workouts.blocking().get("wrong"));
  }

  @Test
  void strictJsonFailsUnknownAndMissingPropertiesPerNamespace() {
    BlockingKvNamespace<Workout> strict = store.namespace(NamespaceOptions.builder("workout",
        KvCodec.json(Workout.class, JsonOptions.builder().strict(true).build())).build())
        .blocking();
    raw.put("newer", NEWER.getBytes(StandardCharsets.UTF_8));
    raw.put("older", OLDER.getBytes(StandardCharsets.UTF_8));
    Workout exact = Workout.of("u", 1, 1);
    strict.put("exact", exact);

    assertEquals(exact, strict.get("exact").orElseThrow());
    KvCodecException newer = assertThrows(KvCodecException.class, () -> strict.get("newer"));
    assertTrue(newer.getMessage().contains("UnrecognizedPropertyException"),
        newer.getMessage());
    assertThrows(KvCodecException.class, () -> strict.get("older"));
    assertTrue(workouts.blocking().get("newer").isPresent(), "the lenient view reads both");
    assertTrue(workouts.blocking().get("older").isPresent());
  }

  @Test
  void versionedValuesCarryTheirVersionFirstAndReadAsPlainJson() {
    KvCodec<Rated> v1 = versioned(Rated.class, SchemaOptions.version(1).build(), false);
    Rated value = new Rated("u", Optional.of("n"), 3);
    assertEquals("{\"_v\":1,\"user\":\"u\",\"note\":\"n\",\"rating\":3}",
        new String(v1.encode(value), StandardCharsets.UTF_8));
    assertEquals(value, v1.decode(v1.encode(value)));
    assertEquals(value, v1.decode("{\"user\":\"u\",\"rating\":3,\"_v\":1,\"note\":\"n\"}"
        .getBytes(StandardCharsets.UTF_8)), "the version anywhere in the object");
    assertEquals(value, v1.decode("{\"user\":\"u\",\"note\":\"n\",\"rating\":3}"
        .getBytes(StandardCharsets.UTF_8)), "no version is version 1");

    KvCodec<Rated> strict = versioned(Rated.class, SchemaOptions.version(1).build(), true);
    assertEquals(value, strict.decode(strict.encode(value)), "the version is no unknown property");
    assertEquals(value, strict.decode("{\"user\":\"u\",\"rating\":3,\"_v\":1,\"note\":\"n\"}"
        .getBytes(StandardCharsets.UTF_8)));
    assertThrows(RuntimeException.class, () -> strict.decode(
        "{\"_v\":1,\"user\":\"u\",\"note\":\"n\",\"rating\":3,\"x\":0}"
            .getBytes(StandardCharsets.UTF_8)));

    KvCodec<Rated> named = versioned(Rated.class,
        SchemaOptions.version(1).versionProperty("schema").build(), false);
    assertEquals("{\"schema\":1,\"user\":\"u\",\"note\":\"n\",\"rating\":3}",
        new String(named.encode(value), StandardCharsets.UTF_8));
  }

  private static <V> KvCodec<V> versioned(Class<V> type, SchemaOptions schema, boolean strict) {
    return KvCodec.json(type, JsonOptions.builder().schema(schema).strict(strict).build());
  }

  /** A record with no properties, to check the empty object. */
  record Empty() {}

  @Test
  void versionedCodecEdgeCases() {
    KvCodec<Empty> empty = versioned(Empty.class, SchemaOptions.version(2).build(), false);
    assertEquals("{\"_v\":2}", new String(empty.encode(new Empty()), StandardCharsets.UTF_8));
    assertEquals(new Empty(), empty.decode(empty.encode(new Empty())));

    KvCodec<Rated> v2 = versioned(Rated.class, SchemaOptions.version(2).migrate(1, v -> {
      v.put("rating", 0);
      return v;
    }).build(), false);
    for (String bad : List.of("{\"_v\":\"2\",\"user\":\"u\"}", "{\"_v\":2.5}", "[1]", "null",
        "{\"_v\":2,\"user\":\"u\"} {}", "{\"_v\":2,\"user\":\"u\",\"rating\":\"x\"}",
        "{\"_v\":0}")) {
      assertThrows(RuntimeException.class, () -> v2.decode(bad.getBytes(StandardCharsets.UTF_8)),
          bad);
    }
    KvCodecException old = assertThrows(KvCodecException.class,
        () -> v2.decode("{\"_v\":0}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(old.getMessage().contains("stored schema version 0 is older than 1"),
        old.getMessage());
  }

  @Test
  void badSchemasFailWhenTheOptionsAreBuiltNotOnRead() {
    Migration same = v -> v;
    KvValidationException gap = assertThrows(KvValidationException.class,
        () -> SchemaOptions.version(4).migrate(1, same).migrate(3, same).build());
    assertTrue(gap.getMessage().contains("no step 2 -> 3"), gap.getMessage());
    KvValidationException twice = assertThrows(KvValidationException.class,
        () -> SchemaOptions.version(3).migrate(1, same).migrate(1, same));
    assertTrue(twice.getMessage().contains("migration 1 -> 2 is registered twice"),
        twice.getMessage());
    assertThrows(KvValidationException.class, () -> SchemaOptions.version(0));
    assertThrows(KvValidationException.class, () -> SchemaOptions.version(2).migrate(2, same));
    assertThrows(KvValidationException.class, () -> SchemaOptions.version(2).migrate(0, same));
    assertThrows(KvValidationException.class, () -> SchemaOptions.version(2).migrate(1, null));
    assertThrows(KvValidationException.class,
        () -> SchemaOptions.version(2).versionProperty(" "));
    assertThrows(KvValidationException.class, () -> KvCodec.json(Workout.class, (JsonOptions) null));
    assertThrows(KvValidationException.class, () -> KvCodec.json(null, JsonOptions.defaults()));
    assertThrows(KvValidationException.class,
        () -> NamespaceOptions.builder("s", Workout.class).onDecodeFailure(null));
    SchemaOptions partial = SchemaOptions.version(3).migrate(2, same).build();
    assertEquals(2, partial.oldest(), "dropping the oldest steps is allowed");
  }

  @Test
  void optionsKeepCodecAndPolicyThroughToBuilder() {
    JsonOptions json = JsonOptions.builder().schema(SchemaOptions.version(1).build()).strict(true)
        .build();
    assertEquals(json.toString(), json.toBuilder().build().toString());
    NamespaceOptions<Workout> versioned = NamespaceOptions.builder("w",
        KvCodec.json(Workout.class, json)).onDecodeFailure(DecodeFailure.MISS).build();
    NamespaceOptions<Workout> copy = versioned.toBuilder().build();
    assertTrue(versioned.codec() == copy.codec());
    assertEquals(DecodeFailure.MISS, copy.onDecodeFailure());
    assertEquals("KvCodec.json(Workout, strict, version 1)", copy.codec().toString());
    NamespaceOptions<Workout> plain = versioned.toBuilder().codec(KvCodec.json(Workout.class))
        .build();
    assertEquals("KvCodec.json(Workout)", plain.codec().toString());
    NamespaceOptions<Workout> unchanged = NamespaceOptions.builder("w", Workout.class).build();
    assertTrue(unchanged.codec() == unchanged.toBuilder().build().codec(),
        "the plain codec is kept, so views share their near cache");
  }

  /** A value with long numbers and a long map key, each beyond a Jackson default read limit. */
  record Measures(BigInteger count, BigDecimal ratio, Map<String, Integer> byName) {}

  /**
   * Whatever a namespace writes it can read back: the JSON codec reads back every number and
   * property name it writes, however long; only the namespace's {@code maxValueBytes} bounds
   * them.
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
   * Nesting is bounded the same way on both sides (Jackson's depth 1000), so a value nested too
   * deeply to read is refused when written, not stored and lost.
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
