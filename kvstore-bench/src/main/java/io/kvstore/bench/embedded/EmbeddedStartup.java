package io.kvstore.bench.embedded;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.sqlite.SqliteKvStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Size on disk and start-up time of the durable embedded store, outside JMH (each is a one-off:
 * a start-up is measured in a fresh JVM). Seeds {@code n} workout records (the keys and values of
 * {@link EmbeddedStoreBenchmark}), closes the store (which checkpoints the write-ahead log into the
 * file) and reports the file's size per record; {@code open} then times, in a new JVM, opening the
 * store and its first {@code get} and first page of 100 (of users present in any seed of 1000
 * records or more, so a small file can be timed against a large one).
 *
 * <p>{@code cpu <dir> <keys> <ops>} seeds {@code keys} records and reports the process CPU time
 * (all threads: caller, reader, completion, GC, JIT) per {@code listValues} page of 100 and per
 * {@code getAll(64)}, after as many calls of warm-up: on a machine too loaded for wall-clock
 * figures, CPU time still says whether a page costs more in a larger store.
 *
 * <pre>
 * java -cp kvstore-bench/target/benchmarks.jar io.kvstore.bench.embedded.EmbeddedStartup \
 *     cpu target/cpu-100k 100000 5000
 * java -cp kvstore-bench/target/benchmarks.jar io.kvstore.bench.embedded.EmbeddedStartup \
 *     seed target/startup 1000000
 * java -cp kvstore-bench/target/benchmarks.jar io.kvstore.bench.embedded.EmbeddedStartup \
 *     open target/startup
 * </pre>
 */
public final class EmbeddedStartup {
  private EmbeddedStartup() {}

  /**
   * Runs {@code seed <dir> <n>} or {@code open <dir>}.
   *
   * @param args the mode and its arguments
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    if (args[0].equals("seed")) {
      seed(dir, Integer.parseInt(args[2]));
    } else if (args[0].equals("cpu")) {
      cpu(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    } else {
      open(dir);
    }
  }

  private static NamespaceOptions<String> options() {
    return NamespaceOptions.builder("workout", KvCodec.utf8()).build();
  }

  private static void seed(Path dir, int n) throws java.io.IOException {
    // A directory, so the store keeps kvstore.db in it (a missing path would be the file).
    Files.createDirectories(dir);
    long started = System.nanoTime();
    try (KvStore store = SqliteKvStore.open(dir)) {
      KvNamespace<String> ns = store.namespace(options());
      Map<String, String> batch = new LinkedHashMap<>();
      List<CompletableFuture<Void>> inFlight = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int user = i / EmbeddedStoreBenchmark.PER_USER;
        batch.put(EmbeddedStoreBenchmark.key(user, i % EmbeddedStoreBenchmark.PER_USER),
            "{\"user\":\"" + EmbeddedStoreBenchmark.prefix(user).replace(":", "")
                + "\",\"week\":3,\"day\":2,\"completedAt\":\"2026-11-23T10:00:00Z\"}");
        if (batch.size() == 1000 || i == n - 1) {
          inFlight.add(ns.putAll(batch));
          batch = new LinkedHashMap<>();
          if (inFlight.size() == 4) {
            inFlight.remove(0).join();
          }
        }
      }
      inFlight.forEach(CompletableFuture::join);
    }
    long bytes = dir.resolve("kvstore.db").toFile().length();
    System.out.printf("seeded %d records in %d ms; kvstore.db is %d bytes, %.1f bytes per record"
        + " (key ~19 B, value ~80 B); -wal left: %s%n", n,
        Duration.ofNanos(System.nanoTime() - started).toMillis(), bytes, (double) bytes / n,
        Files.exists(dir.resolve("kvstore.db-wal")));
  }

  private static void cpu(Path dir, int n, int ops) throws java.io.IOException {
    seed(dir, n);
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    java.util.Random random = new java.util.Random(42);
    int users = n / EmbeddedStoreBenchmark.PER_USER;
    try (KvStore store = SqliteKvStore.open(dir)) {
      KvNamespace<String> ns = store.namespace(options());
      for (int round = 0; round < 2; round++) {
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < ops; i++) {
          ns.blocking().listValues(ListOptions.prefix(EmbeddedStoreBenchmark.prefix(
              random.nextInt(users))).limit(100));
        }
        long listCpu = os.getProcessCpuTime() - cpu;
        long listWall = System.nanoTime() - wall;
        cpu = os.getProcessCpuTime();
        wall = System.nanoTime();
        for (int i = 0; i < ops; i++) {
          List<String> keys = new ArrayList<>(64);
          for (int k = 0; k < 64; k++) {
            keys.add(EmbeddedStoreBenchmark.key(random.nextInt(users),
                random.nextInt(EmbeddedStoreBenchmark.PER_USER)));
          }
          ns.blocking().getAll(keys);
        }
        long getCpu = os.getProcessCpuTime() - cpu;
        long getWall = System.nanoTime() - wall;
        if (round == 1) {
          System.out.printf("%d keys, %d calls each: listValues page of 100 %.0f us CPU/op (%.0f us"
              + " wall); getAll(64) %.0f us CPU/op (%.0f us wall)%n", n, ops,
              listCpu / 1e3 / ops, listWall / 1e3 / ops, getCpu / 1e3 / ops, getWall / 1e3 / ops);
        }
      }
    }
  }

  private static void open(Path dir) {
    Instant jvmStart = ProcessHandle.current().info().startInstant().orElseThrow();
    long mainAt = System.nanoTime();
    Duration jvmToMain = Duration.between(jvmStart, Instant.now());
    try (KvStore store = SqliteKvStore.open(dir)) {
      long openedAt = System.nanoTime();
      KvNamespace<String> ns = store.namespace(options());
      String first = ns.blocking().get(EmbeddedStoreBenchmark.key(7, 7)).orElseThrow();
      long gotAt = System.nanoTime();
      int page = ns.blocking().listValues(
          ListOptions.prefix(EmbeddedStoreBenchmark.prefix(5)).limit(100)).entries().size();
      long listedAt = System.nanoTime();
      System.out.printf("JVM start to main %d ms; open %d ms; first get %d ms; first page of %d"
          + " %d ms; main to first page %d ms (value %d bytes)%n", jvmToMain.toMillis(),
          (openedAt - mainAt) / 1_000_000, (gotAt - openedAt) / 1_000_000, page,
          (listedAt - gotAt) / 1_000_000, (listedAt - mainAt) / 1_000_000, first.length());
    }
  }
}
