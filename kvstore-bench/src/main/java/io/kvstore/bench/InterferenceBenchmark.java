package io.kvstore.bench;

import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.redis.RedisKvStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * Head-of-line blocking on the shared connection: the latency of a single-key {@code get} loop
 * alone, and while another thread runs 10,000-key {@code getAll}s on the same store (loopback
 * Redis). Compare the p99 of {@code alone} with that of {@code withBulk:single}.
 *
 * <pre>
 * java -jar kvstore-bench/target/benchmarks.jar InterferenceBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class InterferenceBenchmark {
  /** Keys of the bulk read. */
  public static final int BULK = 10_000;

  private static final String SINGLE_KEY = Workouts.key(1, 1, 1);

  private RedisTarget redis;
  private KvStore store;
  private KvNamespace<WorkoutCompletion> ns;
  private List<String> bulkKeys;

  /** Starts Redis and seeds 10,000 records. */
  @Setup(Level.Trial)
  public void setUp() {
    redis = RedisTarget.server(Network.LOOPBACK.addedRoundTrip());
    store = RedisKvStore.connect(redis.uri());
    Workouts.seed(store, BULK);
    ns = store.namespace(Workouts.namespace());
    bulkKeys = Workouts.keys(BULK);
  }

  /** Closes the store and stops Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    redis.close();
  }

  /**
   * The single-key read with nothing else running.
   *
   * @return the record
   */
  @Benchmark
  public Optional<WorkoutCompletion> alone() {
    return ns.get(SINGLE_KEY).join();
  }

  /**
   * The single-key read while {@link #bulk()} runs.
   *
   * @return the record
   */
  @Benchmark
  @Group("withBulk")
  @GroupThreads(1)
  public Optional<WorkoutCompletion> single() {
    return ns.get(SINGLE_KEY).join();
  }

  /**
   * The 10,000-key read that competes with {@link #single()}.
   *
   * @return the records
   */
  @Benchmark
  @Group("withBulk")
  @GroupThreads(1)
  public Map<String, WorkoutCompletion> bulk() {
    return ns.getAll(bulkKeys).join();
  }
}
