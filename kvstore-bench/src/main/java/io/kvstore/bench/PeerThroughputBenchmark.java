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
 * Throughput of {@code getAll(64)} with 4 threads sharing one client, kvstore against its peers
 * (Jedis's {@code RedisClient} from its pool of 8 connections, the others on their multiplexed
 * connections), loopback Redis.
 *
 * <pre>
 * java -jar kvstore-bench/target/benchmarks.jar PeerThroughputBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
@Fork(1)
@Warmup(iterations = 2, time = 1)
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
   * Reads 64 keys in one batch and decodes them.
   *
   * @return the records (raw values for the no-decode rows)
   */
  @Benchmark
  public Collection<?> getAll64() {
    return fetcher.fetch();
  }
}
