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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One batched read of N completions by kvstore and by its peers, on the same loopback server and
 * data, each peer decoding as its users would ({@link Client}); raw Lettuce MGET without decoding
 * is the floor. Add {@code -prof gc} for the allocation per operation.
 *
 * <pre>
 * java -jar kvstore-bench/target/benchmarks.jar PeerBenchmark -prof gc
 * java -jar kvstore-bench/target/benchmarks.jar PeerBenchmark -p n=64 -f 2 -wi 3 -i 5 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
public class PeerBenchmark {
  /** The client. */
  @Param({"KVSTORE", "KVSTORE_BYTES", "LETTUCE_MGET_RAW", "LETTUCE_MGET", "JEDIS_PIPELINE",
      "JEDIS_MGET", "REDISSON", "REDISSON_JACKSON", "SPRING_DATA", "SPRING_DATA_JACKSON"})
  public Client client;

  /** How many completions one operation reads. */
  @Param({"1", "10", "64", "100", "1000"})
  public int n;

  private RedisTarget redis;
  private Fetcher fetcher;

  /** Starts Redis, seeds it through kvstore, connects the client. */
  @Setup(Level.Trial)
  public void setUp() {
    redis = RedisTarget.server(Network.LOOPBACK.addedRoundTrip());
    try (var seeder = RedisKvStore.connect(redis.uri())) {
      Workouts.seed(seeder, Workouts.SEEDED);
    }
    fetcher = client.open(redis.uri(), Workouts.keys(n));
  }

  /** Disconnects the client and stops Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    fetcher.close();
    redis.close();
  }

  /**
   * Reads the N keys in one batch and decodes them.
   *
   * @return the records (raw values for the no-decode rows)
   */
  @Benchmark
  public Collection<?> getAll() {
    return fetcher.fetch();
  }
}
