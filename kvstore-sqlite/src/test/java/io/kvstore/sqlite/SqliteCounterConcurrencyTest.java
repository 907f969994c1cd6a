package io.kvstore.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.testing.ConcurrentCounters;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No lost increments on the durable store: 8 threads x 500 {@code increment}s of one counter
 * end at exactly 4,000 ({@link ConcurrentCounters}), near cache off and on.
 */
class SqliteCounterConcurrencyTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "near cache {0}")
  @ValueSource(booleans = {false, true})
  void concurrentIncrementsAreNeverLost(boolean nearCache) throws Exception {
    SqliteFixture fixture = new SqliteFixture(dir, nearCache);
    try (KvStore store = fixture.open()) {
      KvNamespace<Long> ns = store.namespace(fixture.configure(
          NamespaceOptions.builder("counter", KvCodec.json(Long.class))).build());
      ConcurrentCounters.increment(ns, "n");
      assertEquals(Optional.of(ConcurrentCounters.EXPECTED), ns.blocking().get("n"));
    }
  }
}
