package io.kvstore.bench;

import io.kvstore.bench.peers.Peer;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Head-of-line blocking on a shared client: the latency of a single-key {@code get} loop alone
 * ({@code alone}) and while another thread loops 10,000-key reads on the same client
 * ({@code withBulk:single}, the bulk reads' own times in {@code withBulk:bulk}, to compare with
 * {@code bulkAlone}); the same for writes ({@code putAlone}, {@code withBulkWrites:singlePut}
 * beside {@code putAll}s of 10,000 in {@code withBulkWrites:bulkPut}, alone in
 * {@code bulkPutAlone}). kvstore and its peers side by side ({@link Peer}), on loopback Redis and
 * the same records, every baseline in the same run. Compare each p99 with its {@code alone} p99
 * (a ratio whose alone p99 is over 1 ms is not measurable), and each bulk mean with its alone
 * mean (throughput is its inverse: one thread loops it). Give {@code uptime} with the figures.
 * Issue 36's run leaves out {@code KVSTORE_BEFORE} and takes about 7 minutes:
 *
 * <pre>
 * java -Djmh.ignoreLock=true -jar kvstore-bench/target/benchmarks.jar InterferenceBenchmark \
 *     -p client=KVSTORE,KVSTORE_NO_YIELD,KVSTORE_ONE_DECODE_THREAD,LETTUCE,JEDIS,REDISSON \
 *     -f 1 -wi 1 -i 3 -w 1s -r 2s -rf json -rff interference.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class InterferenceBenchmark {
  /** Keys of the bulk read and write. */
  public static final int BULK = 10_000;

  private static final String SINGLE_KEY = Workouts.key(1, 1, 1);

  /** The client under test. */
  @Param({"KVSTORE", "KVSTORE_BEFORE", "KVSTORE_ONE_DECODE_THREAD", "KVSTORE_NO_YIELD", "LETTUCE",
      "JEDIS", "REDISSON"})
  public Peer client;

  private RedisTarget redis;
  private Peer.Session session;
  private List<String> bulkKeys;
  private Map<String, WorkoutCompletion> bulkRecords;
  private WorkoutCompletion singleRecord;

  /** Starts Redis, seeds 10,000 records through kvstore and connects the client. */
  @Setup(Level.Trial)
  public void setUp() {
    redis = RedisTarget.server(Network.LOOPBACK.addedRoundTrip());
    try (io.kvstore.KvStore seeder = io.kvstore.redis.RedisKvStore.connect(redis.uri())) {
      Workouts.seed(seeder, BULK);
    }
    session = client.open(redis.uri());
    bulkKeys = Workouts.keys(BULK);
    bulkRecords = Workouts.records(BULK);
    singleRecord = bulkRecords.get(SINGLE_KEY);
  }

  /** Closes the client and stops Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    session.close();
    redis.close();
  }

  /**
   * The single-key read with nothing else running.
   *
   * @return the record
   */
  @Benchmark
  public WorkoutCompletion alone() {
    return session.get(SINGLE_KEY);
  }

  /**
   * The single-key read while {@link #bulk()} runs.
   *
   * @return the record
   */
  @Benchmark
  @Group("withBulk")
  @GroupThreads(1)
  public WorkoutCompletion single() {
    return session.get(SINGLE_KEY);
  }

  /**
   * The 10,000-key read that competes with {@link #single()}.
   *
   * @return how many records were read
   */
  @Benchmark
  @Group("withBulk")
  @GroupThreads(1)
  public int bulk() {
    return session.getAll(bulkKeys);
  }

  /**
   * The 10,000-key read with nothing else running: {@link #bulk()}'s baseline.
   *
   * @return how many records were read
   */
  @Benchmark
  public int bulkAlone() {
    return session.getAll(bulkKeys);
  }

  /** The 10,000-key write with nothing else running: {@link #bulkPut()}'s baseline. */
  @Benchmark
  public void bulkPutAlone() {
    session.putAll(bulkRecords);
  }

  /** The single-key write with nothing else running. */
  @Benchmark
  public void putAlone() {
    session.put(SINGLE_KEY, singleRecord);
  }

  /** The single-key write while {@link #bulkPut()} runs. */
  @Benchmark
  @Group("withBulkWrites")
  @GroupThreads(1)
  public void singlePut() {
    session.put(SINGLE_KEY, singleRecord);
  }

  /** The 10,000-key write that competes with {@link #singlePut()}. */
  @Benchmark
  @Group("withBulkWrites")
  @GroupThreads(1)
  public void bulkPut() {
    session.putAll(bulkRecords);
  }
}
