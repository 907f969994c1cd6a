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
 * One counter increment by kvstore ({@code increment}, plain and bounded) and as a peer's user
 * writes it (Lettuce {@code INCRBY} with {@code EXPIRE NX} pipelined, Redisson
 * {@code RAtomicLong.addAndGet}), on one loopback server: from one thread, and from four
 * threads on the same key.
 *
 * <pre>
 * java -jar kvstore-bench/target/benchmarks.jar CounterBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
public class CounterBenchmark {
  /** The client. */
  @Param({"KVSTORE", "KVSTORE_BOUNDED", "LETTUCE_INCRBY_EXPIRE", "REDISSON_ATOMIC_LONG"})
  public Counter client;

  private RedisTarget redis;
  private Counter.Handle counter;

  /** Starts Redis and connects the client. */
  @Setup(Level.Trial)
  public void setUp() {
    redis = RedisTarget.server(Network.LOOPBACK.addedRoundTrip());
    counter = client.open(redis.uri());
  }

  /** Disconnects the client and stops Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    counter.close();
    redis.close();
  }

  /**
   * One increment, one thread.
   *
   * @return the counter's value
   */
  @Benchmark
  @Threads(1)
  public long increment() {
    return counter.increment("hits");
  }

  /**
   * One increment, four threads on the same key.
   *
   * @return the counter's value
   */
  @Benchmark
  @Threads(4)
  public long incrementContended() {
    return counter.increment("hits");
  }
}
