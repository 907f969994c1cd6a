package io.kvstore.bench;

import io.kvstore.DecodeOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.internal.RedisConnector;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Where a small {@code get} waits beside 10,000-key {@code getAll}s: each small get is stamped at
 * five points, on the store's own main connection, through a Netty handler put at the head of
 * its pipeline ({@link RedisConnector#connect(String, RedisKvOptions, ClientResources)}):
 *
 * <ol>
 *   <li><b>written</b>: from the call to the moment the main I/O thread writes its encoded bytes
 *       to the socket: kvstore's work on the calling thread and the hand-off to the I/O thread,
 *       which must be scheduled to write;
 *   <li><b>executed</b>: from written to the moment Redis ran it (its {@code MONITOR} stamp, in
 *       one configuration only, since MONITOR costs Redis time): loopback and Redis's queue, the
 *       bulk connection's commands it runs first;
 *   <li><b>read</b>: from there to the moment the main I/O thread read the reply's first bytes:
 *       Redis writing the reply after the rest of its event loop's round, loopback, the I/O
 *       thread's wake-up (without MONITOR, the two are one stage, "answered");
 *   <li><b>completed</b>: from that read to the completion of the caller's future (RESP parse,
 *       decode, on the I/O thread);
 *   <li><b>woke</b>: from completion to the calling thread running again after {@code join}.
 * </ol>
 *
 * <p>Per configuration it prints p50 and p99 of each stage alone and beside a thread looping
 * {@code getAll(10000)} (same run, same Redis), each stage's mean over the slowest 1 % of gets
 * (where the tail waits), the CPU each thread group and Redis used while the bulk reads ran, the
 * GC pauses in that time, {@code getAll(10000)} per second alone and beside, Redis's own time
 * per {@code MGET} chunk ({@code INFO commandstats}), and the load average before and after.
 * A probe, not a JMH benchmark; the figures are in {@code docs/redis.md} ("Latency isolation").
 *
 * <pre>
 * java -cp kvstore-bench/target/benchmarks.jar io.kvstore.bench.InterferenceProbe
 * </pre>
 *
 * <p>{@code -Dseconds=N} sets how long each small-get loop runs (3 s).
 */
public final class InterferenceProbe {
  private static final int BULK = InterferenceBenchmark.BULK;
  private static final long LOOP_NANOS =
      TimeUnit.SECONDS.toNanos(Integer.getInteger("seconds", 3));
  private static final String SINGLE_KEY = Workouts.key(1, 1, 1);
  private static final String[] STAGES =
      {"written", "executed", "read", "completed", "woke", "total"};
  private static final int EXECUTED = 1;
  private static final int TOTAL = STAGES.length - 1;
  /** The configuration whose small gets are also stamped by Redis ({@code MONITOR}). */
  private static final String MONITORED = "default, Redis's execution stamped by MONITOR";
  private static final String[] THREAD_GROUPS = {"kvstore-bulk-io", "kvstore-decode",
      "lettuce-nioEventLoop", "probe-bulk", "main"};
  /** A one-thread decode pool: does the bulk decoding on both cores starve the small get? */
  private static final ExecutorService DECODE_ONE = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kvstore-decode-one");
    t.setDaemon(true);
    return t;
  });

  private InterferenceProbe() {}

  /**
   * Runs every configuration once against one fresh loopback Redis.
   *
   * @param args unused
   * @throws Exception if Redis cannot be started
   */
  public static void main(String[] args) throws Exception {
    Map<String, Supplier<RedisKvOptions>> configs = new LinkedHashMap<>();
    configs.put("default", RedisKvOptions::defaults);
    configs.put(MONITORED, RedisKvOptions::defaults);
    configs.put("bulk decoded on 1 thread", () -> RedisKvOptions.builder()
        .decoding(DecodeOptions.builder().executor(DECODE_ONE).build()).build());
    configs.put("one connection (bulkThreshold MAX)", () -> RedisKvOptions.builder()
        .bulkThreshold(Integer.MAX_VALUE).build());
    for (int chunk : new int[] {100, 250}) {
      configs.put("maxKeysPerCommand " + chunk, () -> RedisKvOptions.builder()
          .maxKeysPerCommand(chunk).build());
    }
    try (RedisTarget redis = RedisTarget.server(Network.LOOPBACK.addedRoundTrip())) {
      try (KvStore seeder = io.kvstore.redis.RedisKvStore.connect(redis.uri())) {
        Workouts.seed(seeder, BULK);
      }
      RedisClient admin = RedisClient.create(redis.uri());
      try (StatefulRedisConnection<String, String> stats = admin.connect()) {
        for (Map.Entry<String, Supplier<RedisKvOptions>> config : configs.entrySet()) {
          probe(config.getKey(), redis.uri(), config.getValue().get(), stats);
        }
      } finally {
        admin.shutdown();
        DECODE_ONE.shutdown();
      }
    }
  }

  private static void probe(String label, String uri, RedisKvOptions options,
      StatefulRedisConnection<String, String> stats) throws Exception {
    String loadBefore = MachineStats.loadAverage();
    ProbeStamps stamps = new ProbeStamps();
    ClientResources resources = ClientResources.builder().nettyCustomizer(stamps).build();
    try (KvStore store = RedisConnector.connect(uri, options, resources);
        RedisMonitor monitor = label.equals(MONITORED) ? new RedisMonitor(uri) : null) {
      KvNamespace<WorkoutCompletion> ns = store.namespace(Workouts.namespace());
      List<String> keys = Workouts.keys(BULK);
      for (int i = 0; i < 500; i++) {
        ns.get(SINGLE_KEY).join();
      }
      for (int i = 0; i < 20; i++) {
        ns.getAll(keys).join();
      }
      long[][] alone = smallGets(ns, stamps, monitor);
      long bulkAloneStart = System.nanoTime();
      int bulkAloneCount = 0;
      while (System.nanoTime() - bulkAloneStart < 2_000_000_000L) {
        ns.getAll(keys).join();
        bulkAloneCount++;
      }
      double bulkAlonePerSec = bulkAloneCount / seconds(System.nanoTime() - bulkAloneStart);

      stats.sync().configResetstat();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong bulkDone = new AtomicLong();
      Thread bulk = new Thread(() -> {
        while (running.get()) {
          ns.getAll(keys).join();
          bulkDone.incrementAndGet();
        }
      }, "probe-bulk");
      bulk.start();
      Thread.sleep(200);
      Map<String, Long> cpuBefore = MachineStats.cpuByGroup(THREAD_GROUPS);
      double redisCpuBefore = MachineStats.redisCpu(stats);
      long[] gcBefore = MachineStats.gc();
      long besideStart = System.nanoTime();
      long bulkBefore = bulkDone.get();
      long[][] beside = smallGets(ns, stamps, monitor);
      long besideNanos = System.nanoTime() - besideStart;
      double bulkBesidePerSec = (bulkDone.get() - bulkBefore) / seconds(besideNanos);
      Map<String, Long> cpuAfter = MachineStats.cpuByGroup(THREAD_GROUPS);
      double redisCpuAfter = MachineStats.redisCpu(stats);
      long[] gcAfter = MachineStats.gc();
      running.set(false);
      bulk.join();
      String commandStats = stats.sync().info("commandstats");

      StringBuilder out = new StringBuilder();
      out.append(String.format("== %s (load %s -> %s)%n", label, loadBefore,
          MachineStats.loadAverage()));
      out.append(table("alone ", alone, monitor != null))
          .append(table("beside", beside, monitor != null));
      long aloneP99 = percentile(sorted(alone[TOTAL]), 99);
      long besideP99 = percentile(sorted(beside[TOTAL]), 99);
      out.append(String.format("  get p99 %d us alone, %d us beside: %s%n", aloneP99, besideP99,
          aloneP99 > 1000 ? "not measurable (alone p99 over 1 ms)"
              : String.format("%.1fx", (double) besideP99 / aloneP99)));
      out.append(String.format("  getAll(10k) %.1f/s alone, %.1f/s beside (%.0f%%)%n",
          bulkAlonePerSec, bulkBesidePerSec, 100 * bulkBesidePerSec / bulkAlonePerSec));
      out.append("  CPU while beside, cores:");
      for (String group : cpuAfter.keySet()) {
        out.append(String.format(" %s %.2f", group,
            (cpuAfter.get(group) - cpuBefore.getOrDefault(group, 0L)) / (double) besideNanos));
      }
      out.append(String.format(" redis-server %.2f%n",
          (redisCpuAfter - redisCpuBefore) / seconds(besideNanos)));
      out.append(String.format("  GC while beside: %d pauses, %d ms in %.1f s%n",
          gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1], seconds(besideNanos)));
      out.append(String.format("  Redis usec/call: MGET %s, GET %s%n",
          MachineStats.usecPerCall(commandStats, "mget"),
          MachineStats.usecPerCall(commandStats, "get")));
      System.out.print(out);
    } finally {
      resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
    }
  }

  /**
   * Sequential small gets for {@link #LOOP_NANOS}, each stamped: per stage (the order of {@link
   * #STAGES}) the microseconds of each get. Without a monitor, "executed" is 0 and "read" runs
   * from written to read.
   */
  private static long[][] smallGets(KvNamespace<WorkoutCompletion> ns, ProbeStamps stamps,
      RedisMonitor monitor) throws InterruptedException {
    List<ProbeStamps.Sample> samples = new ArrayList<>();
    if (monitor != null) {
      monitor.executed.clear();
    }
    long start = System.nanoTime();
    while (System.nanoTime() - start < LOOP_NANOS) {
      ProbeStamps.Sample sample = new ProbeStamps.Sample();
      stamps.armed = sample;
      sample.called = System.nanoTime();
      CompletableFuture<?> get = ns.get(SINGLE_KEY);
      get.whenComplete((v, e) -> sample.completed = System.nanoTime()).join();
      sample.woke = System.nanoTime();
      stamps.armed = null;
      if (sample.written == 0 || sample.read == 0) {
        throw new IllegalStateException("a small get was not seen on the main connection");
      }
      samples.add(sample);
    }
    long[][] micros = new long[STAGES.length][samples.size()];
    for (int i = 0; i < samples.size(); i++) {
      ProbeStamps.Sample sample = samples.get(i);
      long executed = monitor == null ? sample.written : monitor.next();
      micros[0][i] = (sample.written - sample.called) / 1000;
      micros[EXECUTED][i] = (executed - sample.written) / 1000;
      micros[2][i] = (sample.read - executed) / 1000;
      micros[3][i] = (sample.completed - sample.read) / 1000;
      micros[4][i] = (sample.woke - sample.completed) / 1000;
      micros[TOTAL][i] = (sample.woke - sample.called) / 1000;
    }
    return micros;
  }

  /** p50 and p99 per stage, and each stage's mean over the gets at or above the total's p99. */
  private static String table(String label, long[][] micros, boolean monitored) {
    long p99 = percentile(sorted(micros[TOTAL]), 99);
    StringBuilder line = new StringBuilder("  " + label + " p50/p99 us:");
    StringBuilder tail = new StringBuilder("; slowest 1% mean us:");
    for (int s = 0; s < STAGES.length; s++) {
      if (s == EXECUTED && !monitored) {
        continue;
      }
      String name = s == EXECUTED + 1 && !monitored ? "answered" : STAGES[s];
      long[] sorted = sorted(micros[s]);
      line.append(String.format(" %s %d/%d", name, percentile(sorted, 50),
          percentile(sorted, 99)));
      long sum = 0;
      int n = 0;
      for (int i = 0; i < micros[TOTAL].length; i++) {
        if (micros[TOTAL][i] >= p99) {
          sum += micros[s][i];
          n++;
        }
      }
      tail.append(String.format(" %s %d", name, sum / Math.max(1, n)));
    }
    return line.append(tail).append('\n').toString();
  }

  private static long[] sorted(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }

  private static long percentile(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
