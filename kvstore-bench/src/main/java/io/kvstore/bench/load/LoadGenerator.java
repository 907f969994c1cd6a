package io.kvstore.bench.load;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.testkit.redis.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;

/**
 * A bounded, open-model load generator: requests start on a fixed schedule whatever the store
 * does, and each latency is measured from the request's scheduled start, so a stall shows up in
 * the percentiles instead of silently lowering the request rate (no coordinated omission). The
 * mix is {@code getAll} of 64 random keys and single {@code put}s, against a loopback
 * {@code redis-server} that it starts through the test harness and stops at the end.
 *
 * <p>Bounded: it runs for {@code --duration}, never keeps more than {@code --max-in-flight}
 * requests outstanding (requests over the cap are counted as shed, not queued), waits at most the
 * store timeout plus one second for the last replies, and exits by itself. With {@code --restart}
 * the server is killed and restarted once, halfway through.
 *
 * <pre>
 * ./mvnw -q -B -pl kvstore-core,kvstore-redis,kvstore-bench -am package -DskipTests
 * java -cp kvstore-bench/target/benchmarks.jar io.kvstore.bench.load.LoadGenerator \
 *     --duration 60s --rate 2000 [--restart]
 * </pre>
 *
 * <p>Options: {@code --duration} (60s), {@code --rate} total requests per second (2000),
 * {@code --put-fraction} (0.2), {@code --batch} keys per getAll (64), {@code --keys} (10000),
 * {@code --value-bytes} (200), {@code --timeout} (1s), {@code --max-in-flight} (5000),
 * {@code --restart}, {@code --max-recovery} (5s). Exits 0 when the run met its bar: without a
 * restart, no error and at least 99% of the offered rate achieved; with one, the store recovered
 * and the last error came at most {@code --max-recovery} after the kill. Exits 1 otherwise.
 */
public final class LoadGenerator {
  private static final long TRACKABLE_MICROS = TimeUnit.MINUTES.toMicros(5);

  private final Options options;
  private final Histogram latency = new ConcurrentHistogram(TRACKABLE_MICROS, 3);
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder successes = new LongAdder();
  private final LongAdder shed = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong lastErrorAt = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong firstSuccessAfterKill = new AtomicLong(Long.MAX_VALUE);
  private volatile long killedAt = Long.MAX_VALUE;

  private LoadGenerator(Options options) {
    this.options = options;
  }

  /**
   * Runs the load and prints the report.
   *
   * @param args options, as in the class comment
   * @throws Exception if the server cannot be started
   */
  public static void main(String[] args) throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    // This generator measures every latency itself; a slow-operation line per request would only
    // compete for the same two cores.
    ((Logger) LoggerFactory.getLogger("io.kvstore.SlowOperations")).setLevel(Level.OFF);
    Options options = Options.parse(args);
    boolean passed = new LoadGenerator(options).run();
    System.exit(passed ? 0 : 1);
  }

  private boolean run() throws Exception {
    List<String> serverArgs = List.of("--appendonly", "yes", "--appendfsync", "everysec");
    try (RedisServer server = RedisServer.start(serverArgs);
        KvStore store = RedisKvStore.connect(server.uri(), RedisKvOptions.builder()
            .timeout(options.timeout).build())) {
      KvNamespace<String> ns = store.namespace(NamespaceOptions.builder("load", KvCodec.utf8())
          .build());
      String value = "v".repeat(options.valueBytes);
      preload(ns, value);
      warmUp(ns, value);
      Thread restarter = options.restart ? restartHalfway(server) : null;
      long start = System.nanoTime();
      long total = options.duration.toNanos() * options.rate / TimeUnit.SECONDS.toNanos(1);
      long interval = TimeUnit.SECONDS.toNanos(1) / options.rate;
      for (long i = 0; i < total; i++) {
        long scheduled = start + i * interval;
        long wait = scheduled - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        issue(ns, value, scheduled);
      }
      long issuedFor = System.nanoTime() - start;
      drain();
      if (restarter != null) {
        restarter.join();
      }
      return report(total, issuedFor);
    }
  }

  private void preload(KvNamespace<String> ns, String value) {
    Map<String, String> chunk = new HashMap<>();
    for (int i = 0; i < options.keys; i++) {
      chunk.put(key(i), value);
      if (chunk.size() == 1000 || i == options.keys - 1) {
        ns.blocking().putAll(chunk);
        chunk.clear();
      }
    }
  }

  /** Two seconds at the full mix, not recorded, so that the JIT has compiled the hot path. */
  private void warmUp(KvNamespace<String> ns, String value) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    List<CompletableFuture<?>> pending = new ArrayList<>();
    while (System.nanoTime() < end) {
      pending.add(next(ns, value));
      if (pending.size() == 64) {
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        pending.clear();
      }
    }
  }

  private Thread restartHalfway(RedisServer server) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(options.duration.toMillis() / 2);
        killedAt = System.nanoTime();
        server.restart();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "load-restarter");
    t.start();
    return t;
  }

  private void issue(KvNamespace<String> ns, String value, long scheduled) {
    if (inFlight.get() >= options.maxInFlight) {
      shed.increment();
      return;
    }
    inFlight.incrementAndGet();
    CompletableFuture<?> request;
    try {
      request = next(ns, value);
    } catch (RuntimeException e) {
      request = CompletableFuture.failedFuture(e);
    }
    request.whenComplete((result, error) -> {
      long now = System.nanoTime();
      if (error == null) {
        successes.increment();
        latency.recordValue(Math.min(TRACKABLE_MICROS,
            TimeUnit.NANOSECONDS.toMicros(now - scheduled)));
        if (scheduled >= killedAt) {
          firstSuccessAfterKill.accumulateAndGet(now, Math::min);
        }
      } else {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
            ? error.getCause() : error;
        errors.computeIfAbsent(cause.getClass().getSimpleName(), k -> new LongAdder())
            .increment();
        lastErrorAt.accumulateAndGet(now, Math::max);
      }
      inFlight.decrementAndGet();
    });
  }

  private CompletableFuture<?> next(KvNamespace<String> ns, String value) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (random.nextDouble() < options.putFraction) {
      return ns.put(key(random.nextInt(options.keys)), value);
    }
    List<String> keys = new ArrayList<>(options.batch);
    for (int i = 0; i < options.batch; i++) {
      keys.add(key(random.nextInt(options.keys)));
    }
    return ns.getAll(keys);
  }

  private static String key(int i) {
    return "k" + i;
  }

  private void drain() {
    long deadline = System.nanoTime() + options.timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  private boolean report(long offered, long issuedFor) {
    double seconds = issuedFor / 1e9;
    long ok = successes.sum();
    long failed = errors.values().stream().mapToLong(LongAdder::sum).sum();
    Map<String, Long> byKind = new TreeMap<>();
    errors.forEach((k, v) -> byKind.put(k, v.sum()));
    if (shed.sum() > 0) {
      byKind.put("shed (over --max-in-flight)", shed.sum());
    }
    System.out.printf(Locale.ROOT, "load: %d s, %d req/s offered (%.0f%% put, getAll of %d"
        + " otherwise), %d keys of %d B, timeout %d ms%s%n", options.duration.toSeconds(),
        options.rate,
        options.putFraction * 100, options.batch, options.keys, options.valueBytes,
        options.timeout.toMillis(), options.restart ? ", server killed and restarted halfway"
            : "");
    System.out.printf(Locale.ROOT, "offered   %.0f ops/s (%d requests)%n", offered / seconds,
        offered);
    System.out.printf(Locale.ROOT, "achieved  %.0f ops/s (%d succeeded)%n", ok / seconds, ok);
    System.out.printf(Locale.ROOT, "latency   p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms"
        + " (from each request's scheduled start)%n",
        latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
        latency.getValueAtPercentile(99.9) / 1000.0, latency.getMaxValue() / 1000.0);
    System.out.printf(Locale.ROOT, "errors    %d %s%n", failed + shed.sum(), byKind);
    long unanswered = offered - ok - failed - shed.sum();
    if (unanswered > 0) {
      System.out.printf(Locale.ROOT, "unanswered %d after the drain%n", unanswered);
    }
    boolean passed;
    if (options.restart) {
      boolean recovered = firstSuccessAfterKill.get() != Long.MAX_VALUE;
      passed = recovered && unanswered == 0
          && lastErrorAt.get() - killedAt <= options.maxRecovery.toNanos();
      System.out.printf(Locale.ROOT, "recovery  first success %s ms after the kill, last error"
          + " %s ms after the kill%n",
          recovered ? millisAfterKill(firstSuccessAfterKill.get()) : "never",
          failed > 0 ? millisAfterKill(lastErrorAt.get()) : "-");
    } else {
      passed = failed + shed.sum() + unanswered == 0 && ok >= offered * 0.99;
    }
    System.out.println("RESULT: " + (passed ? "PASS" : "FAIL"));
    return passed;
  }

  private String millisAfterKill(long at) {
    return Long.toString(TimeUnit.NANOSECONDS.toMillis(at - killedAt));
  }

  /** Parsed command-line options. */
  private record Options(Duration duration, int rate, double putFraction, int batch, int keys,
      int valueBytes, Duration timeout, int maxInFlight, boolean restart, Duration maxRecovery) {

    static Options parse(String[] args) {
      Map<String, String> given = new HashMap<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (!arg.startsWith("--")) {
          throw new IllegalArgumentException("unexpected argument " + arg);
        }
        String name = arg.substring(2);
        if (name.contains("=")) {
          given.put(name.substring(0, name.indexOf('=')), name.substring(name.indexOf('=') + 1));
        } else if (name.equals("restart")) {
          given.put(name, "true");
        } else if (i + 1 < args.length) {
          given.put(name, args[++i]);
        } else {
          throw new IllegalArgumentException(arg + " needs a value");
        }
      }
      Options o = new Options(duration(given.getOrDefault("duration", "60s")),
          Integer.parseInt(given.getOrDefault("rate", "2000")),
          Double.parseDouble(given.getOrDefault("put-fraction", "0.2")),
          Integer.parseInt(given.getOrDefault("batch", "64")),
          Integer.parseInt(given.getOrDefault("keys", "10000")),
          Integer.parseInt(given.getOrDefault("value-bytes", "200")),
          duration(given.getOrDefault("timeout", "1s")),
          Integer.parseInt(given.getOrDefault("max-in-flight", "5000")),
          Boolean.parseBoolean(given.getOrDefault("restart", "false")),
          duration(given.getOrDefault("max-recovery", "5s")));
      List<String> known = List.of("duration", "rate", "put-fraction", "batch", "keys",
          "value-bytes", "timeout", "max-in-flight", "restart", "max-recovery");
      given.keySet().stream().filter(k -> !known.contains(k)).findFirst().ifPresent(k -> {
        throw new IllegalArgumentException("unknown option --" + k + "; known: " + known);
      });
      if (o.rate < 1 || o.rate > 1_000_000 || o.duration.isNegative() || o.duration.isZero()
          || o.duration.compareTo(Duration.ofHours(1)) > 0 || o.batch < 1 || o.keys < o.batch
          || o.maxInFlight < 1 || o.putFraction < 0 || o.putFraction > 1) {
        throw new IllegalArgumentException("options out of range: " + o);
      }
      return o;
    }

    /** {@code 60s}, {@code 500ms} or {@code 2m}. */
    private static Duration duration(String text) {
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      long amount = Long.parseLong(text.substring(0, text.length() - 1));
      return switch (text.charAt(text.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        default -> throw new IllegalArgumentException("duration " + text + ": use 60s, 500ms, 2m");
      };
    }
  }
}
