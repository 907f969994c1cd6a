package io.kvstore.bench.rmw;

import io.kvstore.bench.Network;
import io.kvstore.bench.RedisTarget;
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
 * One safe read-modify-write of a JSON summary by kvstore ({@code update}, with and without a
 * near cache) and as a peer's user writes it (Lettuce {@code WATCH/MULTI/EXEC}, Lettuce with a
 * Lua compare-and-set, Redisson {@code RBucket.compareAndSet}), on one loopback server:
 * uncontended (one thread) and contended (four threads on one key, every loser retrying).
 *
 * <pre>
 * java -jar kvstore-bench/target/benchmarks.jar UpdateBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
public class UpdateBenchmark {
  /** The client. */
  @Param({"KVSTORE", "KVSTORE_NEAR_CACHE", "LETTUCE_WATCH_MULTI", "LETTUCE_LUA_CAS",
      "REDISSON_COMPARE_AND_SET"})
  public Updater client;

  private RedisTarget redis;
  private Updater.Handle updater;

  /** Starts Redis and connects the client. */
  @Setup(Level.Trial)
  public void setUp() {
    redis = RedisTarget.server(Network.LOOPBACK.addedRoundTrip());
    updater = client.open(redis.uri());
  }

  /** Disconnects the client and stops Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    updater.close();
    redis.close();
  }

  /** One update, one thread: no other writer. */
  @Benchmark
  @Threads(1)
  public void uncontended() {
    updater.update("summary:user-1");
  }

  /** One update, four threads on the same key: conflicts and retries. */
  @Benchmark
  @Threads(4)
  public void contended() {
    updater.update("summary:user-1");
  }
}
