package io.kvstore.bench.listing;

import io.kvstore.KvCodec;
import io.kvstore.KvEntry;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.testkit.redis.RedisServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Listing one user's 64 records ({@code listValues(prefix "user-42:")}, every page until
 * complete) in a namespace that also holds {@code others} keys of other users, listed by
 * {@link Listing#UNINDEXED} and by {@link Listing#INDEXED}. SCAN walks the whole keyspace for one
 * prefix, so its cost should grow about linearly with {@code others}; the index ranges the prefix
 * directly, so its cost should stay about flat (target: at most 2x from 10^4 to 10^6).
 *
 * <p>Each trial starts its own {@code redis-server} on a free port (never one you run) and seeds
 * it through the kvstore API in batches of 1000 keys, several batches in flight (each batch one
 * round trip), which keeps seeding 10^6 keys to seconds. Run:
 *
 * <pre>
 * ./mvnw -q -B -pl kvstore-bench -am package -DskipTests
 * java -jar kvstore-bench/target/benchmarks.jar ListingScaleBenchmark -f 1 -wi 2 -i 3 \
 *     -rf json -rff listing-results.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ListingScaleBenchmark {
  private static final String PREFIX = "user-42:";
  private static final int MINE = 64;
  private static final int BATCH = 1000;
  private static final int IN_FLIGHT = 4;

  /** Keys of other users in the same namespace. */
  @Param({"10000", "100000", "1000000"})
  public int others;

  /** The listing strategy: {@code SCAN} or {@code INDEXED}. */
  @Param({"SCAN", "INDEXED"})
  public String listing;

  private RedisServer server;
  private KvStore store;
  private KvNamespace<String> namespace;
  private final ListOptions options = ListOptions.prefix(PREFIX).limit(100);

  /** Starts Redis, seeds the keyspace and checks that a listing finds exactly the 64 keys. */
  @Setup(Level.Trial)
  public void seed() {
    server = RedisServer.start();
    store = RedisKvStore.connect(server.uri());
    namespace = store.namespace(NamespaceOptions.builder("workout", KvCodec.utf8())
        .listing(listing.equals("INDEXED") ? Listing.INDEXED : Listing.UNINDEXED)
        .build());
    long started = System.nanoTime();
    List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    Map<String, String> batch = new LinkedHashMap<>();
    for (int i = 0; i < others; i++) {
      batch.put(String.format("other-%07d:w%02d:d%d", i / 16, i % 16 / 4 + 1, i % 4 + 1),
          "{\"user\":\"other\",\"week\":1,\"day\":1,\"completedAt\":\"2026-11-23T10:00:00Z\"}");
      if (batch.size() == BATCH) {
        inFlight.add(namespace.putAll(batch));
        batch = new LinkedHashMap<>();
        if (inFlight.size() == IN_FLIGHT) {
          inFlight.remove(0).join();
        }
      }
    }
    for (int i = 0; i < MINE; i++) {
      batch.put(String.format("%sw%02d:d%d", PREFIX, i / 4 + 1, i % 4 + 1),
          "{\"user\":\"user-42\",\"week\":1,\"day\":1,\"completedAt\":\"2026-11-23T10:00:00Z\"}");
    }
    inFlight.add(namespace.putAll(batch));
    inFlight.forEach(CompletableFuture::join);
    int[] found = new int[1];
    long trips = KvRoundTrips.count(store, () -> found[0] = listMine(null));
    if (found[0] != MINE) {
      throw new IllegalStateException("listed " + found[0] + " keys, expected " + MINE);
    }
    System.err.printf("%n[listing] %s, %d other keys: seeded in %d ms; one listing of %d keys"
        + " takes %d round trips%n", listing, others,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), MINE, trips);
  }

  /** Stops the store and the server. */
  @TearDown(Level.Trial)
  public void stop() {
    store.close();
    server.close();
  }

  /**
   * Lists the 64 records of one user, every page until the listing is complete.
   *
   * @param blackhole consumes the entries
   * @return how many entries were listed
   */
  @Benchmark
  public int listOnePrefix(Blackhole blackhole) {
    return listMine(blackhole);
  }

  private int listMine(Blackhole blackhole) {
    int listed = 0;
    KvValuePage<String> page = namespace.blocking().listValues(options);
    while (true) {
      for (KvEntry<String> entry : page.entries()) {
        if (blackhole != null) {
          blackhole.consume(entry);
        }
        listed++;
      }
      if (page.complete()) {
        return listed;
      }
      page = namespace.blocking().listValues(options.cursor(page.cursor().orElseThrow()));
    }
  }
}
