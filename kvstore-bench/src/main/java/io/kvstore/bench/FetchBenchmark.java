package io.kvstore.bench;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.SimulatedEdge;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * Sequential versus parallel versus batched reads of N workout completions, over loopback Redis,
 * Redis behind a 1 ms and a 10 ms latency proxy, and the embedded store simulating 1 ms (and,
 * when asked for, the edge: 20 ms and 6 requests in flight), with coalesced gets on and off.
 * Sample time gives the mean and the percentiles (p50, p99) of one operation.
 *
 * <p>{@link #parallel} is the {@code allOf} pattern that coalescing batches; {@link #sequential}
 * with {@code n=1} is one lone {@code get}, which coalescing must not slow down.
 *
 * <pre>
 * java -jar kvstore-bench/target/benchmarks.jar FetchBenchmark
 * java -jar kvstore-bench/target/benchmarks.jar FetchBenchmark -p network=LOOPBACK -p n=64
 * java -jar kvstore-bench/target/benchmarks.jar 'FetchBenchmark.(parallel|getAll)' \
 *     -p network=EDGE_20MS_CAP6 -p n=64
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
public class FetchBenchmark {
  /** The network between client and store. */
  @Param({"LOOPBACK", "PROXY_1MS", "PROXY_10MS", "MEMORY_1MS"})
  public Network network;

  /** How many completions one operation reads. */
  @Param({"1", "10", "64", "100", "1000"})
  public int n;

  /** Whether concurrent single gets are coalesced into batches (the stores' default: on). */
  @Param({"true", "false"})
  public boolean coalesce;

  private RedisTarget redis;
  private KvStore store;
  private KvNamespace<WorkoutCompletion> ns;
  private List<String> keys;
  private ListOptions listing;

  /** Starts the store (and Redis), seeds the data set. */
  @Setup(Level.Trial)
  public void setUp() {
    if (network.embedded()) {
      store = KvStores.inMemory(InMemoryOptions.builder()
          .simulatedEdge(SimulatedEdge.latency(network.addedRoundTrip())
          .withMaxConcurrentRequests(network.maxConcurrentRequests())).coalesceGets(coalesce)
          .build());
    } else {
      redis = RedisTarget.server(network.addedRoundTrip());
      store = RedisKvStore.connect(redis.uri(),
          RedisKvOptions.builder().coalesceGets(coalesce).build());
    }
    Workouts.seed(store, Workouts.SEEDED);
    ns = store.namespace(Workouts.namespace());
    keys = Workouts.keys(n);
    listing = Workouts.listing(n);
  }

  /** Closes the store and stops what the trial started. */
  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    if (redis != null) {
      redis.close();
    }
  }

  /**
   * The N+1 loop: one {@code get(key).join()} after another, one round trip each.
   *
   * @return the records read
   */
  @Benchmark
  public List<WorkoutCompletion> sequential() {
    List<WorkoutCompletion> out = new ArrayList<>(n);
    for (String key : keys) {
      ns.get(key).join().ifPresent(out::add);
    }
    return out;
  }

  /**
   * N {@code get}s in flight at once, joined with {@code allOf}.
   *
   * @return the records read
   */
  @Benchmark
  public List<WorkoutCompletion> parallel() {
    List<CompletableFuture<Optional<WorkoutCompletion>>> gets = new ArrayList<>(n);
    for (String key : keys) {
      gets.add(ns.get(key));
    }
    CompletableFuture.allOf(gets.toArray(CompletableFuture<?>[]::new)).join();
    List<WorkoutCompletion> out = new ArrayList<>(n);
    for (CompletableFuture<Optional<WorkoutCompletion>> get : gets) {
      get.join().ifPresent(out::add);
    }
    return out;
  }

  /**
   * One {@code getAll} of the N keys.
   *
   * @return the records read, by key
   */
  @Benchmark
  public Map<String, WorkoutCompletion> getAll() {
    return ns.getAll(keys).join();
  }

  /**
   * One listing page of N keys with their values, as the service shows a user's completions.
   *
   * @return the page
   */
  @Benchmark
  public KvValuePage<WorkoutCompletion> listValues() {
    return ns.listValues(listing).join();
  }
}
