package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The slow-operation log names the operation, namespace, key count and round trips; keys only
 * when allowed; values never. Slowness is made deterministic with a simulated round trip of
 * {@link #LATENCY} and thresholds below it.
 */
class SlowOperationLogTest {
  private static final Duration LATENCY = Duration.ofMillis(5);
  private static final String SECRET_KEY = "user-secret-4242";
  private static final String SECRET_VALUE = "TOPSECRET-VALUE";

  private final LogCapture log = new LogCapture("io.kvstore.SlowOperations");

  @AfterEach
  void detach() {
    log.close();
  }

  private static KvStore open(Duration warn, Duration error, boolean logKeys) {
    return KvStores.inMemory(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(LATENCY))
        .observability(ObservabilityOptions.builder()
            .slowOperationThresholds(warn, error)
            .logKeys(logKeys)
            .build())
        .build());
  }

  private static void assertLine(String regex, LogCapture.Line line) {
    assertTrue(Pattern.matches(regex, line.message()), line.message());
    assertFalse(line.message().contains(SECRET_VALUE), line.message());
  }

  @Test
  void warnLineNamesOperationNamespaceKeysAndRoundTripsButNoKeys() {
    try (KvStore store = open(Duration.ZERO, Duration.ofHours(1), false)) {
      KvNamespace<String> ns = store.namespace(
          NamespaceOptions.builder("slow-redacted", KvCodec.utf8()).build());
      ns.blocking().put(SECRET_KEY, SECRET_VALUE);
      ns.blocking().getAll(List.of(SECRET_KEY, "user-other-1", "user-other-2"));
      ns.blocking().listValues(ListOptions.prefix("user-secret"));

      List<LogCapture.Line> lines = log.linesContaining("'slow-redacted'");
      assertEquals(3, lines.size(), lines::toString);
      assertEquals(List.of(Level.WARN, Level.WARN, Level.WARN),
          lines.stream().map(LogCapture.Line::level).toList());
      assertLine("slow put on namespace 'slow-redacted': \\d+ ms, 1 keys, 1 round trips,"
          + " 1 nodes", lines.get(0));
      assertLine("slow getAll on namespace 'slow-redacted': \\d+ ms, 3 keys, 1 round trips,"
          + " 1 nodes", lines.get(1));
      assertLine("slow listValues on namespace 'slow-redacted': \\d+ ms, 1 keys,"
          + " 1 round trips, 1 nodes", lines.get(2));
      lines.forEach(l -> assertFalse(l.message().contains("user-"), l.message()));
    }
  }

  @Test
  void errorLevelAboveTheErrorThreshold() {
    try (KvStore store = open(Duration.ofMillis(1), Duration.ofMillis(2), false)) {
      store.namespace(NamespaceOptions.builder("slow-error", KvCodec.utf8()).build())
          .blocking().get(SECRET_KEY);
      List<LogCapture.Line> lines = log.linesContaining("'slow-error'");
      assertEquals(1, lines.size(), lines::toString);
      assertEquals(Level.ERROR, lines.get(0).level());
      assertLine("slow get on namespace 'slow-error': \\d+ ms, 1 keys, 1 round trips, 1 nodes",
          lines.get(0));
    }
  }

  @Test
  void failuresNameTheirErrorKind() {
    try (KvStore store = open(Duration.ZERO, Duration.ofHours(1), false)) {
      store.namespace(NamespaceOptions.builder("slow-failed", KvCodec.bytes()).build())
          .blocking().put(SECRET_KEY, new byte[] {(byte) 0xff});
      KvNamespace<String> ns = store.namespace(
          NamespaceOptions.builder("slow-failed", KvCodec.utf8()).build());
      assertThrows(KvCodecException.class, () -> ns.blocking().get(SECRET_KEY));
      List<LogCapture.Line> lines = log.linesContaining("'slow-failed'");
      assertEquals(2, lines.size(), lines::toString);
      assertLine("slow get on namespace 'slow-failed': \\d+ ms, 1 keys, 1 round trips, 1 nodes,"
          + " failed with KvCodecException", lines.get(1));
    }
  }

  @Test
  void keysAppearOnlyWhenAllowedTheFirstThreeCutTo64Characters() {
    try (KvStore store = open(Duration.ZERO, Duration.ofHours(1), true)) {
      KvNamespace<String> ns = store.namespace(
          NamespaceOptions.builder("slow-keys", KvCodec.utf8()).build());
      String longKey = "user-" + "x".repeat(100);
      Map<String, String> entries = new LinkedHashMap<>();
      entries.put("user-1", SECRET_VALUE);
      entries.put("user-2", SECRET_VALUE);
      entries.put(longKey, SECRET_VALUE);
      entries.put("user-4", SECRET_VALUE);
      ns.blocking().putAll(entries);
      ns.blocking().get("user-1");
      ns.blocking().getAll(List.of("user-1", "user-2"));
      ns.blocking().deleteAll(List.of("user-1", "user-2", longKey, "user-4"));
      ns.blocking().list(ListOptions.prefix("user-"));
      store.ping().join();

      String cut = "user-" + "x".repeat(59) + "…";
      List<LogCapture.Line> lines = log.linesContaining("'slow-keys'");
      assertEquals(5, lines.size(), lines::toString);
      assertLine("slow putAll on namespace 'slow-keys': \\d+ ms, 4 keys, 1 round trips, 1 nodes,"
          + " keys \\[user-1, user-2, " + cut + ", …\\]", lines.get(0));
      assertLine("slow get on namespace 'slow-keys': \\d+ ms, 1 keys, 1 round trips, 1 nodes,"
          + " keys \\[user-1\\]", lines.get(1));
      assertLine("slow getAll on namespace 'slow-keys': \\d+ ms, 2 keys, 1 round trips, 1 nodes,"
          + " keys \\[user-1, user-2\\]", lines.get(2));
      assertLine("slow deleteAll on namespace 'slow-keys': \\d+ ms, 4 keys, 1 round trips,"
          + " 1 nodes, keys \\[user-1, user-2, " + cut + ", …\\]", lines.get(3));
      assertLine("slow list on namespace 'slow-keys': \\d+ ms, 0 keys, 1 round trips, 1 nodes,"
          + " prefix 'user-'", lines.get(4));
      List<LogCapture.Line> ping = log.linesContaining("slow ping:");
      assertEquals(1, ping.size(), ping::toString);
      assertLine("slow ping: \\d+ ms, 0 keys, 1 round trips, 1 nodes", ping.get(0));
    }
  }

  @Test
  void fastOperationsAreNotLogged() {
    try (KvStore store = open(Duration.ofHours(1), Duration.ofHours(1), true)) {
      KvNamespace<String> ns = store.namespace(
          NamespaceOptions.builder("slow-never", KvCodec.utf8()).build());
      ns.blocking().put(SECRET_KEY, SECRET_VALUE);
      ns.blocking().get(SECRET_KEY);
      assertEquals(List.of(), log.linesContaining("'slow-never'"));
    }
  }
}
