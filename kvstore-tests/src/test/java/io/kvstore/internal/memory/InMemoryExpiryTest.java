package io.kvstore.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expired entries that nobody reads again are still reclaimed by the incremental sweep. */
class InMemoryExpiryTest {
  @Test
  void expiredEntriesAreEventuallyReclaimedWithoutBeingRead() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    InMemoryOptions options = InMemoryOptions.builder().clock(clock).build();
    InMemoryBackend backend = new InMemoryBackend(options.clock());
    try (KvStore store = KvStores.fromBackend(backend, options)) {
      KvNamespace<String> ns = store.namespace(
          NamespaceOptions.builder("sessions", KvCodec.utf8()).build());
      Map<String, String> batch = new HashMap<>();
      for (int i = 0; i < 5000; i++) {
        batch.put("s" + i, "x");
      }
      ns.blocking().putAll(batch, PutOptions.ttl(Duration.ofMinutes(5)));
      assertEquals(5000, backend.storedEntries("sessions"));

      clock.advance(Duration.ofMinutes(6));
      // Unrelated writes drive the sweep; 5000 expired entries need two sweeps of 4096.
      for (int round = 0; round < 3; round++) {
        Map<String, String> other = new HashMap<>();
        for (int i = 0; i < InMemoryBackend.SWEEP_EVERY_WRITES; i++) {
          other.put("live" + round + "-" + i, "y");
        }
        ns.blocking().putAll(other);
      }
      int stored = backend.storedEntries("sessions");
      assertTrue(stored <= 3 * InMemoryBackend.SWEEP_EVERY_WRITES, stored + " entries left");
    }
  }

  @Test
  void codePointOrderMatchesUtf8ByteOrder() {
    String bmpHigh = "\uFF21";      // U+FF21, three UTF-8 bytes starting 0xEF
    String supplementary = "😀";     // U+1F600, four UTF-8 bytes starting 0xF0
    assertTrue(bmpHigh.compareTo(supplementary) > 0, "String.compareTo disagrees with UTF-8");
    assertTrue(CodePointOrder.INSTANCE.compare(bmpHigh, supplementary) < 0);
    assertEquals(0, CodePointOrder.INSTANCE.compare("abc", "abc"));
    assertTrue(CodePointOrder.INSTANCE.compare("ab", "abc") < 0);
  }
}
