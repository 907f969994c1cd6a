package io.kvstore.bench.nearcache;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.bench.RedisTarget;
import io.kvstore.bench.WorkoutCompletion;
import io.kvstore.bench.Workouts;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

/**
 * A near-cached namespace's two invalidation sources side by side (issue 32): server tracking
 * ({@code RedisKvOptions.serverTracking}, the default) against kvstore's pub/sub alone, on the
 * same 64 workout records:
 *
 * <ul>
 *   <li>{@code putAll64}: a batch write of 64 records. With tracking it waits for 1 round trip
 *       on every layout; with pub/sub alone, 2 in Cluster and indexed namespaces (the PUBLISH is
 *       awaited after the write), 1 on one server unindexed (the PUBLISH rides in the batch).
 *   <li>{@code ninetyPercentHitGetAll64}: {@code getAll(64)} with 58 hits and 6 misses (the 6 are
 *       rewritten before each call through a view of the namespace without near cache, which
 *       drops them locally; with tracking, the server's push of that write arrives too).
 * </ul>
 *
 * <p>Run (quiet machine, about 3 minutes: 12 combinations):
 * {@code java -jar kvstore-bench/target/benchmarks.jar InvalidationSourceBenchmark -rf json
 * -rff invalidation-source.json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class InvalidationSourceBenchmark {
  private static final int N = 64;
  private static final int MISSES = 6;

  /** The near caches' invalidation source. */
  @Param({"tracking", "pubsub"})
  public String source;

  /** One server (SCAN or indexed listing) or a 3-master Cluster (SCAN). */
  @Param({"server", "server-indexed", "cluster"})
  public String layout;

  private RedisTarget redis;
  private KvStore store;
  private KvNamespace<WorkoutCompletion> cached;
  private KvNamespace<byte[]> rawView;
  private List<String> keys;
  private Map<String, WorkoutCompletion> records;
  private Map<String, byte[]> stored;

  /** Starts Redis, writes 64 records and warms the near cache. */
  @Setup(Level.Trial)
  public void setUp() {
    boolean cluster = layout.equals("cluster");
    redis = cluster ? RedisTarget.cluster() : RedisTarget.server(Duration.ZERO);
    RedisKvOptions options = RedisKvOptions.builder()
        .serverTracking(source.equals("tracking"))
        .observability(ObservabilityOptions.builder()
            .slowOperationThresholds(Duration.ofSeconds(10), Duration.ofSeconds(10)).build())
        .build();
    store = cluster ? RedisKvStore.connectCluster(redis.uris(), options)
        : RedisKvStore.connect(redis.uri(), options);
    Listing listing = layout.equals("server-indexed") ? Listing.INDEXED : Listing.UNINDEXED;
    cached = store.namespace(Workouts.namespace().toBuilder().listing(listing)
        .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofHours(1)).build())
        .build());
    rawView = store.namespace(NamespaceOptions.builder(Workouts.NAMESPACE, KvCodec.bytes())
        .listing(listing).build());
    records = Workouts.records(N);
    keys = List.copyOf(records.keySet());
    cached.putAll(records).join();
    stored = rawView.getAll(keys).join();
    cached.getAll(keys).join();
  }

  /**
   * Before each call of the 90%-hit benchmark only: rewrites 6 random keys (same bytes) through
   * the view without near cache, which drops exactly those from the near cache.
   */
  @State(Scope.Thread)
  public static class SixDropped {
    /**
     * Drops six keys.
     *
     * @param bench the benchmark state
     */
    @Setup(Level.Invocation)
    public void drop(InvalidationSourceBenchmark bench) {
      Rewrites.dropRandom(bench.rawView, bench.keys, bench.stored, MISSES);
    }
  }

  /** Stops Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    redis.close();
  }

  /**
   * A near-cached batch write of 64 records.
   *
   * @return nothing; the write's completion
   */
  @Benchmark
  public Void putAll64() {
    return cached.putAll(records).join();
  }

  /**
   * 58 hits and the 6 keys {@link SixDropped} dropped, fetched in one round trip.
   *
   * @param dropped the per-call set-up
   * @return the records
   */
  @Benchmark
  public Map<String, WorkoutCompletion> ninetyPercentHitGetAll64(SixDropped dropped) {
    return cached.getAll(keys).join();
  }
}
