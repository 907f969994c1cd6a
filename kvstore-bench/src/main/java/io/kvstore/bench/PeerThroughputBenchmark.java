package io.kvstore.bench;

import io.kvstore.bench.peers.Client;
import io.kvstore.bench.peers.Fetcher;
import io.kvstore.redis.RedisKvStore;
import java.util.Collection;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@code getAll(64)} with 1, 4 and 16 threads sharing one client, kvstore against
 * its peers (Jedis's {@code RedisClient} from its pool of 8 connections, the others on their
 * multiplexed connections), loopback Redis; three forks, so the error bars rank. On two cores,
 * pin Redis to one core and the benchmark to the other ({@link RedisTarget}), and add
 * {@code -prof gc} for allocation per read:
 *
 * <pre>
 * taskset -c 0 java -jar kvstore-bench/target/benchmarks.jar PeerThroughputBenchmark \
 *     -jvmArgsAppend -Dkvstore.bench.redisCpu=1 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
// Pinned to one core, the JIT competes with the benchmark's threads: after 2 x 1 s of warm-up
// forks were still speeding up 2-4x through their measurement, and the errors were +-50 %.
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 3, time = 1)
public class PeerThroughputBenchmark {
  /** Keys per operation. */
  public static final int N = 64;

  /** The client. */
  @Param({"KVSTORE", "KVSTORE_BYTES", "LETTUCE_MGET_RAW", "LETTUCE_MGET", "JEDIS_PIPELINE",
      "JEDIS_MGET", "REDISSON", "REDISSON_JACKSON", "SPRING_DATA", "SPRING_DATA_JACKSON"})
  public Client client;

  private RedisTarget redis;
  private Fetcher fetcher;

  /** Starts Redis, seeds it through kvstore, connects the client. */
  @Setup(Level.Trial)
  public void setUp() {
    redis = RedisTarget.server(Network.LOOPBACK.addedRoundTrip());
    try (var seeder = RedisKvStore.connect(redis.uri())) {
      Workouts.seed(seeder, Workouts.SEEDED);
    }
    fetcher = client.open(redis.uri(), Workouts.keys(N));
  }

  /** Disconnects the client and stops Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    fetcher.close();
    redis.close();
  }

  /**
   * Reads 64 keys in one batch and decodes them, from one thread.
   *
   * @return the records (raw values for the no-decode rows)
   */
  @Benchmark
  @Threads(1)
  public Collection<?> getAll64Threads1() {
    return fetcher.fetch();
  }

  /**
   * The same from 4 threads.
   *
   * @return the records
   */
  @Benchmark
  @Threads(4)
  public Collection<?> getAll64Threads4() {
    return fetcher.fetch();
  }

  /**
   * The same from 16 threads.
   *
   * @return the records
   */
  @Benchmark
  @Threads(16)
  public Collection<?> getAll64Threads16() {
    return fetcher.fetch();
  }
}
