package io.kvstore.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.testing.ConcurrentUpdates;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No lost updates on the durable store: 8 threads x 500 {@code update}s incrementing one record
 * end at exactly 4,000 ({@link ConcurrentUpdates}), near cache off and on.
 */
class SqliteUpdateConcurrencyTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "near cache {0}")
  @ValueSource(booleans = {false, true})
  void concurrentIncrementsAreNeverLost(boolean nearCache) throws Exception {
    SqliteFixture fixture = new SqliteFixture(dir, nearCache);
    try (KvStore store = fixture.open()) {
      KvNamespace<String> ns = store.namespace(fixture.configure(
          NamespaceOptions.builder("counter", KvCodec.utf8())).build());
      assertEquals(Optional.of(ConcurrentUpdates.EXPECTED), ConcurrentUpdates.increment(ns));
    }
  }
}
