package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import io.kvstore.KvNamespace;
import io.kvstore.KvResult;
import io.kvstore.KvStore;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.testkit.redis.RedisExtension;
import io.kvstore.testkit.redis.RedisServer;
import io.kvstore.testing.Workout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input is rejected before anything is sent: the server's own command counters
 * ({@code INFO commandstats}) do not move. Bad stored values fail only their own key.
 */
class BadInputTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  private static KvStore store;

  @BeforeAll
  static void open() {
    // Reading the 100 MB stored value takes longer than the 2 s default reply timeout on a
    // loaded 2-core machine (seen in full builds); these tests are about values, not timeouts.
    store = RedisKvStore.connect(REDIS.uri(),
        RedisKvOptions.builder().timeout(Duration.ofSeconds(30)).build());
  }

  @AfterAll
  static void close() {
    store.close();
  }

  private static final String A_300 = "é".repeat(300);
  private static final List<String> BAD_KEYS = List.of(
      "",                        // empty
      "k".repeat(513),           // 513 bytes
      A_300,                     // 300 chars, 600 UTF-8 bytes
      "a\uD800",                 // unpaired high surrogate
      "\uDC00a",                 // unpaired low surrogate
      "a\u0000b",                // NUL
      "line\nbreak",             // control character
      "del\u007F",               // DEL
      "nel\u0085");              // C1 control

  @Test
  void badInputIsRejectedBeforeAnyCommandReachesRedis() {
    KvNamespace<String> ns = store.namespace(NamespaceOptions.builder("in", KvCodec.utf8())
        .maxValueBytes(1024).build());
    KvNamespace<String> defaults = store.namespace(
        NamespaceOptions.builder("in25", KvCodec.utf8()).build());
    ns.blocking().putAll(Map.of("a1", "x", "a2", "y", "a3", "z"));
    String cursor = ns.blocking().list(ListOptions.prefix("a").limit(1)).cursor().orElseThrow();
    String otherPrefixCursor = ns.blocking().list(ListOptions.prefix("").limit(1)).cursor().orElseThrow();

    List<Runnable> attempts = new ArrayList<>();
    for (String key : BAD_KEYS) {
      attempts.add(() -> ns.get(key));
      attempts.add(() -> ns.put(key, "v"));
      attempts.add(() -> ns.delete(key));
      attempts.add(() -> ns.getAll(List.of("ok", key)));
      attempts.add(() -> ns.putAll(Map.of("ok", "v", key, "v")));
      attempts.add(() -> ns.deleteAll(List.of("ok", key)));
      if (!key.isEmpty()) {
        attempts.add(() -> ns.list(ListOptions.prefix(key)));
      }
    }
    // TTLs: negative, zero, below a millisecond, beyond the 100-year cap, overflowing millis,
    // an instant in the past.
    for (Duration ttl : List.of(Duration.ofSeconds(-1), Duration.ZERO, Duration.ofNanos(999),
        TtlPolicy.MAX_TTL.plusMillis(1), Duration.ofSeconds(Long.MAX_VALUE))) {
      attempts.add(() -> ns.put("k", "v", PutOptions.ttl(ttl)));
    }
    attempts.add(() -> ns.put("k", "v", PutOptions.ttl(TtlPolicy.at(Instant.EPOCH))));
    attempts.add(() -> ns.put("k", "v", PutOptions.ttl(TtlPolicy.fixed(Duration.ofDays(1))
        .withJitter(1.5))));
    // Limits out of range.
    for (int limit : List.of(0, -1, ListOptions.MAX_LIMIT + 1, Integer.MIN_VALUE)) {
      attempts.add(() -> ns.list(ListOptions.prefix("a").limit(limit)));
    }
    // Forged cursors: edited, truncated, another prefix's, not a cursor at all.
    for (String forged : List.of(edit(cursor), cursor.substring(0, cursor.length() / 2),
        Base64.getUrlEncoder().encodeToString("0:0".getBytes(StandardCharsets.UTF_8)), "0",
        "*", "x".repeat(100_000))) {
      attempts.add(() -> ns.list(ListOptions.prefix("a").cursor(forged)));
    }
    attempts.add(() -> ns.list(ListOptions.prefix("a").cursor(otherPrefixCursor)));
    attempts.add(() -> ns.listValues(ListOptions.prefix("a").cursor(edit(cursor))));
    // Oversized values: over this namespace's 1 KiB, and over the 25 MiB default.
    attempts.add(() -> ns.put("k", "v".repeat(1025)));
    attempts.add(() -> ns.putAll(Map.of("k", "v", "k2", "v".repeat(1025))));
    attempts.add(() -> defaults.put("k", "v".repeat(NamespaceOptions.DEFAULT_MAX_VALUE_BYTES + 1)));
    // Nulls, alone and inside collections.
    attempts.add(() -> ns.get(null));
    attempts.add(() -> ns.put("k", null));
    attempts.add(() -> ns.getAll(null));
    attempts.add(() -> ns.getAll(Arrays.asList("ok", null)));
    attempts.add(() -> ns.getAllResults(Arrays.asList(null, "ok")));
    attempts.add(() -> ns.deleteAll(Arrays.asList("ok", null)));
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("ok", null);
    attempts.add(() -> ns.putAll(nullValue));
    Map<String, String> nullKey = new HashMap<>();
    nullKey.put(null, "v");
    attempts.add(() -> ns.putAll(nullKey));
    attempts.add(() -> ns.put("k", "v", (PutOptions) null));
    attempts.add(() -> ns.list(null));

    RedisServer server = REDIS.process();
    long before = server.commandsExecuted();
    for (int i = 0; i < attempts.size(); i++) {
      int index = i;
      assertThrows(KvValidationException.class, attempts.get(i)::run, () -> "attempt " + index);
    }
    assertEquals(before, server.commandsExecuted(), "commands sent for bad input");
    System.out.printf("BAD INPUT: %d bad calls rejected, 0 commands sent%n", attempts.size());
  }

  /** Flips one character in the middle of a cursor. */
  private static String edit(String cursor) {
    char[] chars = cursor.toCharArray();
    int i = chars.length / 2;
    chars[i] = chars[i] == 'A' ? 'B' : 'A';
    return new String(chars);
  }

  @Test
  void undecodableStoredValuesFailOnlyTheirOwnKey() {
    RedisServer server = REDIS.process();
    KvNamespace<Workout> ns = store.namespace(
        NamespaceOptions.builder("bad", Workout.class).build());
    ns.blocking().put("good1", Workout.of("u", 1, 1));
    ns.blocking().put("good2", Workout.of("u", 1, 2));
    server.set("bad:garbage", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, '{', (byte) 0xc3});
    server.set("bad:typed", ("{\"@class\":\"java.net.URL\",\"user\":\"u\",\"week\":1,"
        + "\"day\":1}").getBytes(StandardCharsets.UTF_8));
    server.set("bad:deep", ("{\"user\":\"u\",\"exercises\":" + "[".repeat(10_000)
        + "]".repeat(10_000) + "}").getBytes(StandardCharsets.UTF_8));
    byte[] huge = hugeJsonString(100_000_000);
    server.set("bad:huge", huge);
    List<String> keys = List.of("good1", "garbage", "typed", "missing", "deep", "huge", "good2");

    Map<String, KvResult<Workout>> results = ns.blocking().getAllResults(keys);
    assertEquals(keys, List.copyOf(results.keySet()));
    assertEquals(new KvResult.Found<>(Workout.of("u", 1, 1)), results.get("good1"));
    assertEquals(new KvResult.Found<>(Workout.of("u", 1, 2)), results.get("good2"));
    assertEquals(new KvResult.Missing<>(), results.get("missing"));
    // Reads are lenient about properties, never about types: "@class" is one more unknown
    // property, ignored; it cannot make Jackson instantiate anything but a Workout.
    assertEquals(new KvResult.Found<>(new Workout("u", 1, 1, null, null)), results.get("typed"));
    for (String bad : List.of("garbage", "deep", "huge")) {
      KvResult.Failed<?> failed = assertInstanceOf(KvResult.Failed.class, results.get(bad));
      assertEquals(bad, assertInstanceOf(KvCodecException.class, failed.error()).key());
    }
    assertTrue(failure(results, "huge").contains(huge.length
        + " bytes; this namespace reads at most " + NamespaceOptions.DEFAULT_MAX_VALUE_BYTES),
        failure(results, "huge"));
    // The namespace's size limit is the only bound on a string: Jackson's own 20,000,000-char
    // read limit is lifted, so whatever a namespace accepts it reads back; a roomier namespace
    // reads both back.
    KvNamespace<Workout> roomy = store.namespace(NamespaceOptions.builder("bad", Workout.class)
        .maxValueBytes(200_000_000).build());
    server.set("bad:at-limit", hugeJsonString(20_000_000));
    server.set("bad:over-limit", hugeJsonString(20_000_001));
    Map<String, KvResult<Workout>> again = roomy.blocking().getAllResults(
        List.of("at-limit", "over-limit", "good1"));
    assertEquals(20_000_000, again.get("at-limit").toOptional().orElseThrow().user().length());
    assertEquals(20_000_001, again.get("over-limit").toOptional().orElseThrow().user().length());
    assertEquals(new KvResult.Found<>(Workout.of("u", 1, 1)), again.get("good1"));
    // Nesting 10,000 deep into a field that is a list: stopped by the mapper, not the stack.
    assertTrue(failure(results, "deep").contains("could not be decoded"), failure(results, "deep"));
    // The same bad values through getAll: left out, the good ones returned.
    assertEquals(List.of("good1", "typed", "good2"),
        List.copyOf(ns.blocking().getAll(keys).keySet()));
    server.call("DEL", "bad:huge", "bad:at-limit", "bad:over-limit");
  }

  @Test
  void nestingTenThousandDeepIsStoppedByJacksonsDepthLimit() {
    KvNamespace<Object> ns = store.namespace(NamespaceOptions.builder("deep", Object.class)
        .build());
    REDIS.process().set("deep:k", ("[".repeat(10_000) + "]".repeat(10_000))
        .getBytes(StandardCharsets.UTF_8));
    ns.blocking().put("ok", List.of(List.of(1)));
    Map<String, KvResult<Object>> results = ns.blocking().getAllResults(List.of("k", "ok"));
    assertTrue(failure(results, "k").contains("StreamConstraintsException"), failure(results, "k"));
    assertEquals(new KvResult.Found<>(List.of(List.of(1))), results.get("ok"));
  }

  /** {@code {"user":"aaa..."}} with a string of the given length. */
  private static byte[] hugeJsonString(int chars) {
    byte[] head = "{\"user\":\"".getBytes(StandardCharsets.US_ASCII);
    byte[] value = new byte[head.length + chars + 2];
    System.arraycopy(head, 0, value, 0, head.length);
    Arrays.fill(value, head.length, head.length + chars, (byte) 'a');
    value[value.length - 2] = '"';
    value[value.length - 1] = '}';
    return value;
  }

  private static String failure(Map<String, ? extends KvResult<?>> results, String key) {
    return ((KvResult.Failed<?>) results.get(key)).error().getMessage();
  }
}
