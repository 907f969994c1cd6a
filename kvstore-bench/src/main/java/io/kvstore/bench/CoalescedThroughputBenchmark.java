package io.kvstore.bench;

import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Issue 31's target for coalescing without {@code allOf}: 8 threads, each issuing one
 * {@code get(key).join()} after another on a shared store, over loopback Redis, with coalesced
 * gets on and off. Throughput gives reads per second, sample time the p50 and p99 of one read.
 * Each thread walks its own slice of the 64 keys, so no two threads ask for the same key and
 * the coalescer's merging of repeated keys does not flatter it.
 *
 * <p>What the server spends per read comes from Redis itself: stats are reset with
 * {@code CONFIG RESETSTAT} after seeding, and at the trial's end {@code INFO commandstats} gives
 * the {@code GET} and {@code MGET} calls and their microseconds, divided by the keys the
 * threads read (warm-up included, as the server counts it), printed as a line starting
 * {@code # commandstats}. Against an external server ({@link RedisTarget}) this resets its
 * stats and counts everyone's commands.
 *
 * <pre>
 * java -jar kvstore-bench/target/benchmarks.jar CoalescedThroughputBenchmark
 * taskset -c 0 java -jar kvstore-bench/target/benchmarks.jar CoalescedThroughputBenchmark \
 *     -jvmArgsAppend -Dkvstore.bench.redisCpu=1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
public class CoalescedThroughputBenchmark {
  /** The seeded keys the threads read. */
  public static final int N = 64;

  /** Whether concurrent single gets are coalesced into batches. */
  @Param({"true", "false"})
  public boolean coalesce;

  private final Queue<Cursor> cursors = new ConcurrentLinkedQueue<>();
  private RedisTarget redis;
  private KvStore store;
  private KvNamespace<WorkoutCompletion> ns;
  private List<String> keys;
  private RedisClient admin;
  private StatefulRedisConnection<String, String> stats;

  /** Starts Redis, seeds it, opens the store, and zeroes the server's command stats. */
  @Setup(Level.Trial)
  public void setUp() {
    redis = RedisTarget.server(Network.LOOPBACK.addedRoundTrip());
    store = RedisKvStore.connect(redis.uri(),
        RedisKvOptions.builder().coalesceGets(coalesce).build());
    Workouts.seed(store, Workouts.SEEDED);
    ns = store.namespace(Workouts.namespace());
    keys = Workouts.keys(N);
    admin = RedisClient.create(redis.uri());
    stats = admin.connect();
    // After seeding, so only the benchmark's reads are counted.
    stats.sync().configResetstat();
  }

  /**
   * Prints what Redis spent per key read, then closes the store and stops Redis.
   *
   * @param params the trial's parameters, for its mode: each mode is a trial of its own
   */
  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    try {
      long read = cursors.stream().mapToLong(c -> c.read).sum();
      String commandStats = stats.sync().info("commandstats");
      long calls = field(commandStats, "get", "calls") + field(commandStats, "mget", "calls");
      long usec = field(commandStats, "get", "usec") + field(commandStats, "mget", "usec");
      // On a line of its own: JMH has already printed "Iteration n: " without a line break.
      System.out.printf("%n# commandstats mode=%s coalesce=%s keys=%d calls=%d usec=%d"
          + " calls/key=%.4f usec/key=%.4f%n", params.getMode().shortLabel(), coalesce, read,
          calls, usec, (double) calls / read, (double) usec / read);
    } finally {
      stats.close();
      admin.shutdown();
      store.close();
      redis.close();
    }
  }

  /**
   * One thread's single get of the next key in its slice.
   *
   * @param cursor the thread's place in its slice
   * @return the record read
   */
  @Benchmark
  @Threads(8)
  public Optional<WorkoutCompletion> get(Cursor cursor) {
    cursor.read++;
    return ns.get(cursor.next()).join();
  }

  /** One thread's slice of the keys and how many it has read; not shared, so not thread-safe. */
  @State(Scope.Thread)
  public static class Cursor {
    private List<String> slice;
    private int position;
    private long read;

    /**
     * Takes this thread's slice of the keys and registers for the trial's count of reads.
     *
     * @param bench the shared benchmark state
     * @param thread which thread this is, of how many
     */
    @Setup(Level.Trial)
    public void setUp(CoalescedThroughputBenchmark bench, ThreadParams thread) {
      int size = Math.max(1, N / thread.getThreadCount());
      int from = thread.getThreadIndex() * size % N;
      slice = bench.keys.subList(from, from + size);
      bench.cursors.add(this);
    }

    String next() {
      String key = slice.get(position);
      position = (position + 1) % slice.size();
      return key;
    }
  }

  /** A {@code cmdstat_<command>} line's numeric field; 0 when the command was never called. */
  private static long field(String commandStats, String command, String name) {
    for (String line : commandStats.split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":")) {
        for (String pair : line.substring(line.indexOf(':') + 1).split(",")) {
          if (pair.startsWith(name + "=")) {
            return Long.parseLong(pair.substring(name.length() + 1));
          }
        }
      }
    }
    return 0;
  }
}
