package io.kvstore.bench.embedded;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.bench.RedisTarget;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.sqlite.Durability;
import io.kvstore.sqlite.SqliteKvStore;
import io.kvstore.sqlite.SqliteOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The durable embedded store against the in-memory store and Redis on loopback, same data, same
 * calls, through the kvstore API as a service uses it (blocking views, JSON-sized string values):
 * {@code get}, {@code getAll} of 64 keys, {@code putAll} of 64 keys, and listing one page of 100
 * values under a prefix, in a namespace of {@code keys} keys (10^4 and 10^5: listing a page must
 * cost the page, flat from one to the other).
 *
 * <p>{@code store}: {@code MEMORY} ({@code KvStores.inMemory()}), {@code SQLITE} (default
 * durability, {@link Durability#PROCESS_CRASH}), {@code SQLITE_POWER_LOSS} (an fsync per commit)
 * and {@code REDIS} (a {@code redis-server} the trial starts on a free loopback port). The SQLite
 * file is created under {@code -Dkvstore.bench.dir} (default {@code target}), on a real disk so
 * that fsync costs what it costs. Run:
 *
 * <pre>
 * ./mvnw -q -B -pl kvstore-bench -am package -DskipTests
 * java -jar kvstore-bench/target/benchmarks.jar EmbeddedStoreBenchmark -f 1 -wi 1 -i 3 \
 *     -rf json -rff embedded.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class EmbeddedStoreBenchmark {
  /** Keys per user: a prefix listing of one user fills a page of 100. */
  static final int PER_USER = 128;
  private static final int SEED_BATCH = 1000;
  private static final String VALUE =
      "{\"user\":\"user-000042\",\"week\":3,\"day\":2,\"completedAt\":\"2026-11-23T10:00:00Z\"}";

  /** The store: MEMORY, SQLITE, SQLITE_POWER_LOSS or REDIS. */
  @Param({"MEMORY", "SQLITE", "SQLITE_POWER_LOSS", "REDIS"})
  public String store;

  /** Keys in the namespace. */
  @Param({"10000", "100000"})
  public int keys;

  private RedisTarget redis;
  private Path dir;
  private KvStore kv;
  private KvNamespace<String> ns;
  private int users;

  /** Opens the store and seeds {@code keys} keys in batches of 1000. */
  @Setup(Level.Trial)
  public void seed() throws IOException {
    switch (store) {
      case "MEMORY" -> kv = KvStores.inMemory();
      case "SQLITE", "SQLITE_POWER_LOSS" -> {
        Path base = Path.of(System.getProperty("kvstore.bench.dir", "target"));
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "embedded-bench-");
        kv = SqliteKvStore.open(dir, SqliteOptions.builder()
            .durability(store.equals("SQLITE") ? Durability.PROCESS_CRASH : Durability.POWER_LOSS)
            .build());
      }
      case "REDIS" -> {
        redis = RedisTarget.server(Duration.ZERO);
        // Seeding sends 4 batches of 1000 keys at once; on a loaded machine their replies can
        // take longer than the default 2 s reply timeout.
        kv = RedisKvStore.connect(redis.uris().get(0),
            RedisKvOptions.builder().timeout(Duration.ofSeconds(30)).build());
      }
      default -> throw new IllegalArgumentException(store);
    }
    ns = kv.namespace(NamespaceOptions.builder("workout", KvCodec.utf8()).build());
    users = keys / PER_USER;
    Map<String, String> batch = new LinkedHashMap<>();
    List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      batch.put(key(i / PER_USER, i % PER_USER), VALUE);
      if (batch.size() == SEED_BATCH || i == keys - 1) {
        inFlight.add(ns.putAll(batch));
        batch = new LinkedHashMap<>();
        if (inFlight.size() == 4) {
          inFlight.remove(0).join();
        }
      }
    }
    inFlight.forEach(CompletableFuture::join);
    int listed = ns.blocking().listValues(ListOptions.prefix(prefix(1)).limit(100))
        .entries().size();
    if (listed != 100) {
      throw new IllegalStateException("a page listed " + listed + " values, expected 100");
    }
  }

  /** Closes the store, stops Redis, deletes the database. */
  @TearDown(Level.Trial)
  public void stop() throws IOException {
    kv.close();
    if (redis != null) {
      redis.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> {
          try {
            Files.delete(p);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    }
  }

  static String prefix(int user) {
    return String.format("user-%06d:", user);
  }

  static String key(int user, int n) {
    return prefix(user) + String.format("w%02d:d%d", n / 4 + 1, n % 4 + 1);
  }

  private String randomKey(ThreadLocalRandom r) {
    return key(r.nextInt(users), r.nextInt(PER_USER));
  }

  /**
   * One {@code get} of a random key.
   *
   * @return the value
   */
  @Benchmark
  public String get() {
    return ns.blocking().get(randomKey(ThreadLocalRandom.current())).orElseThrow();
  }

  /**
   * One {@code getAll} of 64 random keys.
   *
   * @return the values
   */
  @Benchmark
  public Map<String, String> getAll64() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    List<String> wanted = new ArrayList<>(64);
    for (int i = 0; i < 64; i++) {
      wanted.add(randomKey(r));
    }
    return ns.blocking().getAll(wanted);
  }

  /**
   * One {@code putAll} of 64 random existing keys (the size of the namespace stays the same).
   */
  @Benchmark
  public void putAll64() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    Map<String, String> values = new LinkedHashMap<>();
    while (values.size() < 64) {
      values.put(randomKey(r), VALUE);
    }
    ns.blocking().putAll(values);
  }

  /**
   * The first page of 100 values of a random user ({@code listValues}, prefix {@code user-N:}).
   *
   * @return the page's size
   */
  @Benchmark
  public int listPage100() {
    return ns.blocking().listValues(ListOptions.prefix(prefix(
        ThreadLocalRandom.current().nextInt(users))).limit(100)).entries().size();
  }
}
