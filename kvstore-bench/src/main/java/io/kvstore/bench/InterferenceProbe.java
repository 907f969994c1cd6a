package io.kvstore.bench;

import io.kvstore.DecodeOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.internal.RedisConnector;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
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
    String loadBefore = loadAverage();
    Stamps stamps = new Stamps();
    ClientResources resources = ClientResources.builder().nettyCustomizer(stamps).build();
    try (KvStore store = RedisConnector.connect(uri, options, resources);
        Monitor monitor = label.equals(MONITORED) ? new Monitor(uri) : null) {
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
      Map<String, Long> cpuBefore = cpuByGroup();
      double redisCpuBefore = redisCpu(stats);
      long[] gcBefore = gc();
      long besideStart = System.nanoTime();
      long bulkBefore = bulkDone.get();
      long[][] beside = smallGets(ns, stamps, monitor);
      long besideNanos = System.nanoTime() - besideStart;
      double bulkBesidePerSec = (bulkDone.get() - bulkBefore) / seconds(besideNanos);
      Map<String, Long> cpuAfter = cpuByGroup();
      double redisCpuAfter = redisCpu(stats);
      long[] gcAfter = gc();
      running.set(false);
      bulk.join();
      String commandStats = stats.sync().info("commandstats");

      StringBuilder out = new StringBuilder();
      out.append(String.format("== %s (load %s -> %s)%n", label, loadBefore, loadAverage()));
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
          usecPerCall(commandStats, "mget"), usecPerCall(commandStats, "get")));
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
  private static long[][] smallGets(KvNamespace<WorkoutCompletion> ns, Stamps stamps,
      Monitor monitor) throws InterruptedException {
    List<Sample> samples = new ArrayList<>();
    if (monitor != null) {
      monitor.executed.clear();
    }
    long start = System.nanoTime();
    while (System.nanoTime() - start < LOOP_NANOS) {
      Sample sample = new Sample();
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
      Sample sample = samples.get(i);
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

  /** One small get's stamps, in {@link System#nanoTime()}. */
  private static final class Sample {
    volatile long called;
    volatile long written;
    volatile long read;
    volatile long completed;
    volatile long woke;
  }

  /**
   * Redis's own stamp of each small get: a {@code MONITOR} connection, whose lines carry the
   * server's wall-clock time (microseconds) of each command it ran, mapped onto {@link
   * System#nanoTime()} (same machine, same clock). Only the probe's small gets are {@code GET}s:
   * the bulk reads are {@code MGET}s of 500 keys. It costs Redis the formatting of every bulk
   * command, so this configuration's bulk reads are slower than the others'.
   */
  private static final class Monitor implements AutoCloseable {
    final BlockingQueue<Long> executed =
        new LinkedBlockingQueue<>();
    private final Socket socket;
    private final long wallMinusNanoMicros;

    Monitor(String uri) throws IOException {
      URI at = URI.create(uri);
      socket = new Socket(at.getHost(), at.getPort());
      socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(
          socket.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
      String ok = in.readLine();
      if (!"+OK".equals(ok)) {
        throw new IllegalStateException("MONITOR answered " + ok);
      }
      Instant now = Instant.now();
      long nano = System.nanoTime();
      wallMinusNanoMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000
          - nano / 1000;
      Thread reader = new Thread(() -> {
        try {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            int command = line.indexOf("] \"");
            if (command > 0 && line.startsWith("\"GET\"", command + 2)) {
              String[] stamp = line.substring(1, line.indexOf(' ')).split("\\.");
              executed.add(Long.parseLong(stamp[0]) * 1_000_000 + Long.parseLong(stamp[1]));
            }
          }
        } catch (IOException closed) {
          // the probe closed the socket
        }
      }, "probe-monitor");
      reader.setDaemon(true);
      reader.start();
    }

    /** The next small get's execution, in {@link System#nanoTime()}. */
    long next() throws InterruptedException {
      Long micros = executed.poll(10, TimeUnit.SECONDS);
      if (micros == null) {
        throw new IllegalStateException("MONITOR did not show a small get");
      }
      return (micros - wallMinusNanoMicros) * 1000;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * Stamps the armed sample's write and first reply read on the store's main channel: the first
   * channel its client opens (the bulk and pub/sub ones open later).
   */
  private static final class Stamps implements NettyCustomizer {
    volatile Sample armed;
    private volatile Channel main;

    @Override
    public void afterChannelInitialized(Channel channel) {
      if (main == null) {
        main = channel;
      }
      channel.pipeline().addFirst("probe-stamps", new ChannelDuplexHandler() {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
          // On the I/O thread, as it writes the encoded command to the socket.
          Sample sample = armed;
          if (sample != null && ctx.channel() == main && sample.written == 0) {
            sample.written = System.nanoTime();
          }
          ctx.write(msg, promise);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
          Sample sample = armed;
          if (sample != null && ctx.channel() == main && sample.written != 0
              && sample.read == 0) {
            sample.read = System.nanoTime();
          }
          ctx.fireChannelRead(msg);
        }
      });
    }
  }

  /** CPU nanoseconds used so far by the live threads of each {@link #THREAD_GROUPS} prefix. */
  private static Map<String, Long> cpuByGroup() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> cpu = new TreeMap<>();
    for (String group : THREAD_GROUPS) {
      cpu.put(group, 0L);
    }
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      for (String group : THREAD_GROUPS) {
        if (info.getThreadName().startsWith(group)) {
          long used = threads.getThreadCpuTime(info.getThreadId());
          if (used > 0) {
            cpu.merge(group, used, Long::sum);
          }
        }
      }
    }
    return cpu;
  }

  /** Pauses and milliseconds of every collector so far. */
  private static long[] gc() {
    long[] total = new long[2];
    for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      total[0] += Math.max(0, bean.getCollectionCount());
      total[1] += Math.max(0, bean.getCollectionTime());
    }
    return total;
  }

  /** Redis's CPU seconds so far, user and system ({@code INFO cpu}). */
  private static double redisCpu(StatefulRedisConnection<String, String> stats) {
    double seconds = 0;
    for (String line : stats.sync().info("cpu").split("\r?\n")) {
      if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
        seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1));
      }
    }
    return seconds;
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
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

  private static String usecPerCall(String commandStats, String command) {
    for (String line : commandStats.split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":")) {
        for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
          if (field.startsWith("usec_per_call=")) {
            return field.substring("usec_per_call=".length());
          }
        }
      }
    }
    return "-";
  }
}
