package io.kvstore.bench;

import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a small {@code get} waits beside 10,000-key {@code getAll}s, and what the MGET chunk size
 * trades: for each store configuration, the small get's latency alone and beside a thread looping
 * the bulk read (same run, same Redis), the thread each small get completed on, the bulk reads'
 * throughput alone and beside, and Redis's own time per {@code MGET} chunk and per {@code GET}
 * ({@code INFO commandstats}: how long one chunk holds Redis while the small get waits behind it).
 * A probe, not a JMH benchmark: it prints one line per configuration.
 *
 * <p>What it showed (2026-12-07, 2 shared cores, load 10-12, so every "alone" p99 but a few was
 * over 1 ms and no latency ratio is measurable): before the bulk connection had an I/O thread of
 * its own, a 10,000-key read's replies were parsed on the thread that also reads small replies
 * whenever Lettuce put both channels on one event loop ({@code BulkIsolationTest} saw it); now
 * every small get completes on the main connection's I/O thread and no batch is read there. What
 * is left is Redis itself: it runs each {@code MGET} chunk to the end before it serves the small
 * {@code GET} (about 1.5 us), and a chunk took 73-97 us at 100 keys, 200-333 us at 250,
 * 339-484 us at 500 (the default), 647-796 us at 1,000 and 1,662-1,884 us at 2,500 (Redis's own
 * {@code usec_per_call}, two runs). So a small get beside a bulk read waits up to one chunk on
 * the server; smaller chunks bound that wait, at the cost of more commands per batch.
 *
 * <pre>
 * java -cp kvstore-bench/target/benchmarks.jar io.kvstore.bench.InterferenceProbe
 * </pre>
 */
public final class InterferenceProbe {
  private static final int BULK = InterferenceBenchmark.BULK;
  private static final int SAMPLES = Integer.getInteger("samples", 2000);
  private static final String SINGLE_KEY = Workouts.key(1, 1, 1);

  private InterferenceProbe() {}

  /**
   * Runs every configuration once against one fresh loopback Redis.
   *
   * @param args unused
   * @throws Exception if Redis cannot be started
   */
  public static void main(String[] args) throws Exception {
    Map<String, RedisKvOptions> configs = new LinkedHashMap<>();
    configs.put("shared connection (bulkThreshold MAX), chunk 500", RedisKvOptions.builder()
        .bulkThreshold(Integer.MAX_VALUE).build());
    for (int chunk : new int[] {100, 250, 500, 1000, 2500}) {
      configs.put("bulk connection + own I/O thread, chunk " + chunk,
          RedisKvOptions.builder().maxKeysPerCommand(chunk).build());
    }
    try (RedisTarget redis = RedisTarget.server(Network.LOOPBACK.addedRoundTrip())) {
      try (KvStore seeder = RedisKvStore.connect(redis.uri())) {
        Workouts.seed(seeder, BULK);
      }
      RedisClient admin = RedisClient.create(redis.uri());
      try (StatefulRedisConnection<String, String> stats = admin.connect()) {
        for (Map.Entry<String, RedisKvOptions> config : configs.entrySet()) {
          probe(config.getKey(), redis.uri(), config.getValue(), stats);
        }
      } finally {
        admin.shutdown();
      }
    }
  }

  private static void probe(String label, String uri, RedisKvOptions options,
      StatefulRedisConnection<String, String> stats) throws Exception {
    try (KvStore store = RedisKvStore.connect(uri, options)) {
      KvNamespace<WorkoutCompletion> ns = store.namespace(Workouts.namespace());
      List<String> keys = Workouts.keys(BULK);
      // Warm up both paths.
      for (int i = 0; i < 500; i++) {
        ns.get(SINGLE_KEY).join();
      }
      for (int i = 0; i < 20; i++) {
        ns.getAll(keys).join();
      }
      long[] alone = smallGets(ns, new TreeMap<>());
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
      long besideStart = System.nanoTime();
      long bulkBefore = bulkDone.get();
      Map<String, Integer> threads = new TreeMap<>();
      long[] beside = smallGets(ns, threads);
      double bulkBesidePerSec = (bulkDone.get() - bulkBefore)
          / seconds(System.nanoTime() - besideStart);
      running.set(false);
      bulk.join();
      String commandStats = stats.sync().info("commandstats");

      System.out.printf("%s: get p50 %d us, p99 %d us alone; p50 %d us, p99 %d us beside "
              + "(p99 ratio %.1fx%s); getAll(10k) %.1f/s alone, %.1f/s beside (%.0f%%); "
              + "Redis usec/call MGET %s, GET %s; small gets completed on %s%n",
          label, percentile(alone, 50), percentile(alone, 99), percentile(beside, 50),
          percentile(beside, 99), (double) percentile(beside, 99) / percentile(alone, 99),
          percentile(alone, 99) > 1000 ? ", not measurable: alone p99 over 1 ms" : "",
          bulkAlonePerSec, bulkBesidePerSec, 100 * bulkBesidePerSec / bulkAlonePerSec,
          usecPerCall(commandStats, "mget"), usecPerCall(commandStats, "get"),
          summarize(threads));
    }
  }

  /** {@link #SAMPLES} sequential small gets, in microseconds; counts their completing threads. */
  private static long[] smallGets(KvNamespace<WorkoutCompletion> ns,
      Map<String, Integer> threads) {
    long[] micros = new long[SAMPLES];
    List<String> completedOn = new ArrayList<>(SAMPLES);
    for (int i = 0; i < SAMPLES; i++) {
      long start = System.nanoTime();
      CompletableFuture<?> get = ns.get(SINGLE_KEY);
      String[] thread = new String[1];
      get.whenComplete((v, e) -> thread[0] = Thread.currentThread().getName()).join();
      micros[i] = (System.nanoTime() - start) / 1000;
      completedOn.add(thread[0] == null ? "?" : thread[0]);
    }
    for (String name : completedOn) {
      threads.merge(name.replaceAll("-\\d+$", "-N").replaceAll("-\\d+-", "-N-"), 1,
          Integer::sum);
    }
    Arrays.sort(micros);
    return micros;
  }

  private static String summarize(Map<String, Integer> threads) {
    return threads.isEmpty() ? "-" : threads.toString();
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
