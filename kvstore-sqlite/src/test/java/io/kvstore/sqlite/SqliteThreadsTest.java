package io.kvstore.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Who runs what: the store's own threads, never the caller's, and none left after close. */
class SqliteThreadsTest {
  @TempDir
  Path dir;

  private static NamespaceOptions<String> options() {
    return NamespaceOptions.builder("t", KvCodec.utf8()).build();
  }

  /**
   * Futures complete on the store's completion pool, not on the one writer thread: a callback
   * that blocks on another write of the same store finishes instead of waiting for itself.
   */
  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void aCallbackMayBlockOnTheStore() {
    try (KvStore store = SqliteKvStore.open(dir)) {
      KvNamespace<String> ns = store.namespace(options());
      CompletableFuture<String> chained = ns.put("a", "1")
          .thenApply(ignored -> {
            ns.blocking().put("b", "2");
            return ns.blocking().get("a").orElseThrow() + ns.blocking().get("b").orElseThrow();
          });
      assertEquals("12", chained.join());
    }
  }

  @Test
  void eachCallIsOneRoundTripWhateverItsSize() {
    try (KvStore store = SqliteKvStore.open(dir)) {
      KvNamespace<String> ns = store.namespace(options());
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < 3000; i++) {
        values.put("user-1:" + i, "v" + i);
      }
      assertEquals(1, KvRoundTrips.count(store, () -> ns.blocking().putAll(values)));
      List<String> keys = List.copyOf(values.keySet());
      assertEquals(1, KvRoundTrips.count(store, () -> ns.blocking().getAll(keys)));
      assertEquals(1, KvRoundTrips.count(store, () -> ns.blocking().listValues(
          io.kvstore.ListOptions.prefix("user-1:").limit(1000))));
      assertEquals(1, KvRoundTrips.count(store, () -> ns.blocking().deleteAll(keys)));
    }
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void closeStopsEveryThreadTheStoreStarted() throws Exception {
    KvStore store = SqliteKvStore.open(dir, SqliteOptions.builder().readers(3).build());
    KvNamespace<String> ns = store.namespace(options());
    for (int i = 0; i < 20; i++) {
      ns.put("k" + i, "v").join();
      ns.getAll(List.of("k" + i, "x")).join();
    }
    assertTrue(storeThreads() > 0);
    store.close();
    while (storeThreads() > 0) {
      Thread.sleep(10);
    }
  }

  private static long storeThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("kvstore-sqlite-") && t.isAlive())
        .count();
  }
}
