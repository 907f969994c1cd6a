package io.kvstore.bench.nearcache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.bench.RedisTarget;
import io.kvstore.bench.WorkoutCompletion;
import io.kvstore.bench.Workouts;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The near cache against Redis, 64 workout records on loopback:
 *
 * <ul>
 *   <li>{@code redisGetAll64}: {@code getAll(64)} with no near cache (one round trip);
 *   <li>{@code allHitGetAll64}: the same 64 keys, all answered by the near cache;
 *   <li>{@code ninetyPercentHitGetAll64}: 58 hits and 6 misses (the 6 are dropped before each call
 *       by a write through another view of the namespace, outside the measurement);
 *   <li>{@code redisGetAll6}: a Redis {@code getAll} of just 6 keys, what the misses cost alone;
 *   <li>{@code rawCaffeineGetAll64}: Caffeine's own {@code getAllPresent} of 64 decoded records,
 *       the floor for the per-hit overhead of kvstore's validation, events and result map;
 *   <li>{@code policyCaffeineGetAll64}: the same on a Caffeine cache with the near cache's policy
 *       (an {@code AsyncCache}, a weigher, a per-entry expiry, a ticker), looked up key by key as
 *       an async cache is: how much of the gap is the policy rather than kvstore.
 * </ul>
 *
 * <p>Run: {@code java -jar kvstore-bench/target/benchmarks.jar NearCacheBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class NearCacheBenchmark {
  private static final int N = 64;
  private static final int MISSES = 6;

  private RedisTarget redis;
  private KvStore store;
  private KvNamespace<WorkoutCompletion> plain;
  private KvNamespace<WorkoutCompletion> cached;
  private KvNamespace<byte[]> rawView;
  private List<String> keys;
  private Map<String, byte[]> stored;
  private List<String> sixKeys;
  private Cache<String, WorkoutCompletion> caffeine;
  private AsyncCache<String, WorkoutCompletion> policyCaffeine;

  /** Starts Redis, seeds 64 records and warms the near cache. */
  @Setup(Level.Trial)
  public void setUp() {
    redis = RedisTarget.server(Duration.ZERO);
    store = RedisKvStore.connect(redis.uri(), RedisKvOptions.builder()
        .observability(ObservabilityOptions.builder()
            .slowOperationThresholds(Duration.ofSeconds(10), Duration.ofSeconds(10)).build())
        .build());
    Workouts.seed(store, N);
    keys = Workouts.keys(N);
    plain = store.namespace(Workouts.namespace());
    cached = store.namespace(Workouts.namespace().toBuilder()
        .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofHours(1)).build())
        .build());
    rawView = store.namespace(NamespaceOptions.builder(Workouts.NAMESPACE, KvCodec.bytes())
        .build());
    stored = rawView.getAll(keys).join();
    sixKeys = keys.subList(0, MISSES);
    cached.getAll(keys).join();
    caffeine = Caffeine.newBuilder().maximumSize(10_000).build();
    caffeine.putAll(plain.getAll(keys).join());
    policyCaffeine = Caffeine.newBuilder().maximumWeight(64L << 20)
        .weigher((String key, WorkoutCompletion value) -> 512)
        .expireAfter(Expiry.<String, WorkoutCompletion>writing((key, value) ->
            Duration.ofMinutes(10)))
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()))
        .executor(Runnable::run).buildAsync();
    caffeine.asMap().forEach((key, value) ->
        policyCaffeine.put(key, CompletableFuture.completedFuture(value)));
  }

  /**
   * Before each call of the 90%-hit benchmark only: rewrites 6 random keys (same bytes) through
   * another view of the namespace, which drops exactly those from the near cache.
   */
  @State(Scope.Thread)
  public static class SixDropped {
    /**
     * Drops six keys.
     *
     * @param bench the benchmark state
     */
    @Setup(Level.Invocation)
    public void drop(NearCacheBenchmark bench) {
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
   * Baseline: one Redis round trip for 64 keys.
   *
   * @return the records
   */
  @Benchmark
  public Map<String, WorkoutCompletion> redisGetAll64() {
    return plain.getAll(keys).join();
  }

  /**
   * A Redis round trip for the 6 keys a 90%-hit read misses.
   *
   * @return the records
   */
  @Benchmark
  public Map<String, WorkoutCompletion> redisGetAll6() {
    return plain.getAll(sixKeys).join();
  }

  /**
   * All 64 keys from the near cache.
   *
   * @return the records
   */
  @Benchmark
  public Map<String, WorkoutCompletion> allHitGetAll64() {
    return cached.getAll(keys).join();
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

  /**
   * Caffeine alone, decoded records: the floor of a hit.
   *
   * @return the records
   */
  @Benchmark
  public Map<String, WorkoutCompletion> rawCaffeineGetAll64() {
    return caffeine.getAllPresent(keys);
  }

  /**
   * Caffeine with the near cache's policy, key by key, into a map as {@code getAll} returns.
   *
   * @return the records
   */
  @Benchmark
  public Map<String, WorkoutCompletion> policyCaffeineGetAll64() {
    Map<String, WorkoutCompletion> found = new LinkedHashMap<>(128);
    for (String key : keys) {
      CompletableFuture<WorkoutCompletion> entry = policyCaffeine.getIfPresent(key);
      if (entry != null && entry.isDone()) {
        found.put(key, entry.join());
      }
    }
    return found;
  }
}
