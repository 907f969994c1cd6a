package io.kvstore.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.NamespaceOptions;
import io.kvstore.sqlite.SqliteKvStore;
import io.kvstore.testkit.LinearizabilityReport;
import io.kvstore.testkit.StoreFixture;
import io.kvstore.testkit.internal.linearizability.RegisterWorkload;
import io.kvstore.testkit.internal.linearizability.RegisterWorkload.Settings;
import io.kvstore.testkit.redis.RedisStoreFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 30's linearizability check on every store: {@value #HISTORIES} histories per cell, each
 * {@value #THREADS} threads x {@value #STEPS} random steps of {@code get}, {@code put},
 * {@code putIfAbsent}, {@code delete}, and {@code getVersioned} then {@code replace} or
 * {@code deleteIf}, on {@value #KEYS} keys of one namespace, recorded and checked by the test
 * kit's checker ({@code KvHistoryRecorder}); on the embedded store, SQLite, one Redis server and
 * a Redis Cluster, near cache off and on (one store instance: its near cache must never serve a
 * value older than one a write already acknowledged). Each cell prints the operations it checked.
 * The history across a Redis restart is {@code io.kvstore.redis.RestartLinearizabilityTest}.
 */
@ExtendWith(SharedRedis.class)
@ParameterizedClass(name = "{0}")
@MethodSource("cells")
class LinearizabilityTest {
  static final int HISTORIES = 4;
  static final int THREADS = 5;
  static final int STEPS = 60;
  static final int KEYS = 3;

  @Parameter
  Cell cell;

  @TempDir
  Path dir;

  /**
   * One store and near-cache setting.
   *
   * @param name as reports show it
   * @param open opens the store, given a directory of the test's own
   * @param nearCache whether namespaces have a near cache
   */
  record Cell(String name, Function<Path, KvStore> open, boolean nearCache) {
    @Override
    public String toString() {
      return name + ", near cache " + (nearCache ? "on" : "off");
    }
  }

  static List<Cell> cells() {
    RedisStoreFixture server = RedisStoreFixture.server(SharedRedis::server);
    RedisStoreFixture cluster = RedisStoreFixture.cluster(SharedRedis::cluster);
    return List.of(
        new Cell("embedded", dir -> KvStores.inMemory(), false),
        new Cell("embedded", dir -> KvStores.inMemory(), true),
        new Cell("SQLite", dir -> SqliteKvStore.open(dir.resolve("lin.db")), false),
        new Cell("SQLite", dir -> SqliteKvStore.open(dir.resolve("lin.db")), true),
        new Cell("Redis", dir -> server.open(), false),
        new Cell("Redis", dir -> server.open(), true),
        new Cell("Redis Cluster", dir -> cluster.open(), false),
        new Cell("Redis Cluster", dir -> cluster.open(), true));
  }

  @Test
  void concurrentHistoriesAreLinearizable() throws Exception {
    int operations = 0;
    try (KvStore store = cell.open().apply(dir)) {
      for (int h = 0; h < HISTORIES; h++) {
        NamespaceOptions.Builder<String> options = NamespaceOptions.builder(
            "lin-" + ProcessHandle.current().pid() + "-" + h, KvCodec.utf8());
        KvNamespace<String> ns = store.namespace(
            (cell.nearCache() ? StoreFixture.nearCached(options) : options).build());
        RegisterWorkload.Result result = RegisterWorkload.run(ns,
            new Settings(THREADS, STEPS, KEYS, h), new RegisterWorkload.Hooks() {});
        LinearizabilityReport report = result.report();
        int history = h;
        assertTrue(report.linearizable(), () -> cell + ", history " + history + ": " + report);
        assertEquals(0, result.failures(), "calls failed");
        operations += report.operations();
      }
    }
    System.out.printf("LINEARIZABILITY %s: %d histories, %d operations, linearizable%n", cell,
        HISTORIES, operations);
  }
}
