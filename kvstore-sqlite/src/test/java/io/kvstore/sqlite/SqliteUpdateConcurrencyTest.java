package io.kvstore.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.UpdateOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No lost updates on the durable store: 8 threads x 500 {@code update}s incrementing one record
 * end at exactly 4,000, near cache off and on. Values only, never time.
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
      UpdateOptions options = UpdateOptions.builder().maxAttempts(1000)
          .backoff(Duration.ZERO, Duration.ofMillis(5)).build();
      ExecutorService threads = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          done.add(threads.submit(() -> {
            for (int i = 0; i < 500; i++) {
              ns.blocking().update("n", current -> Optional.of(
                  Long.toString(current.map(Long::parseLong).orElse(0L) + 1)), options);
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        threads.shutdownNow();
      }
      assertEquals(Optional.of("4000"), ns.blocking().get("n"));
    }
  }
}
