package io.kvstore.examples;

import ch.qos.logback.classic.Level;
import io.kvstore.KvNamespace;
import io.kvstore.KvStats;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.redis.RedisKvStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;

/**
 * A bounded load run of the workout service on a real Redis, over loopback HTTP, at increasing
 * numbers of concurrent connections. Each connection is a user session that sends one request,
 * waits for the answer, optionally thinks, and sends the next: a mix of reading a user's progress
 * through the program (one {@code getAll} of 64 keys), listing their completed workouts (one
 * {@code listValues} page), recording a workout (one {@code put}) and fetching the program itself
 * (no store call). 80% of requests go to the most active 20% of users.
 *
 * <pre>
 * java -cp examples/target/kvstore-examples.jar io.kvstore.examples.WorkoutLoad \
 *     --steps 50,200,500,1000 --step-seconds 20 --near-cache on
 * </pre>
 *
 * <p>It starts its own {@code redis-server} on a free loopback port (never 6379's) unless given
 * {@code --redis URI}, seeds the users through kvstore, starts the service in this JVM, runs each
 * step for a fixed time and at most {@code --max-requests} requests, and prints one table row per
 * step: requests per second, latency percentiles, errors by kind, near-cache hit rate and store
 * round trips per request (from the store's stats, and from the responses' {@code Server-Timing}).
 * Exits with status 1 if any request failed, never because of speed.
 */
public final class WorkoutLoad {
  private static final Pattern STORE_RT = Pattern.compile("store-rt;desc=\"(\\d+)\"");
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private WorkoutLoad() {}

  /** The parsed command line. */
  private record Options(List<Integer> steps, Duration stepTime, Duration warmup, Duration think,
      int users, long maxRequests, boolean nearCache, String redisUri) {
    static Options parse(String[] args) {
      List<Integer> steps = List.of(50, 200, 500, 1000);
      Duration stepTime = Duration.ofSeconds(20);
      Duration warmup = Duration.ofSeconds(5);
      Duration think = Duration.ZERO;
      int users = 5000;
      long maxRequests = 2_000_000;
      boolean nearCache = true;
      String redis = null;
      for (int i = 0; i + 1 < args.length; i += 2) {
        String v = args[i + 1];
        switch (args[i]) {
          case "--steps" -> steps = java.util.Arrays.stream(v.split(","))
              .map(String::trim).map(Integer::parseInt).toList();
          case "--step-seconds" -> stepTime = Duration.ofSeconds(Long.parseLong(v));
          case "--warmup-seconds" -> warmup = Duration.ofSeconds(Long.parseLong(v));
          case "--think-ms" -> think = Duration.ofMillis(Long.parseLong(v));
          case "--users" -> users = Integer.parseInt(v);
          case "--max-requests" -> maxRequests = Long.parseLong(v);
          case "--near-cache" -> nearCache = v.equals("on");
          case "--redis" -> redis = v;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (args.length % 2 != 0) {
        throw new IllegalArgumentException(args[args.length - 1] + " needs a value");
      }
      return new Options(steps, stepTime, warmup, think, users, maxRequests, nearCache, redis);
    }
  }

  /**
   * Runs the load.
   *
   * @param args {@code --steps 50,200,500,1000 --step-seconds 20 --warmup-seconds 5
   *     --think-ms 0 --users 5000 --max-requests 2000000 --near-cache on|off [--redis URI]}
   * @throws Exception if Redis or the service cannot be started
   */
  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    // Per-request INFO lines would be most of the CPU at this rate, and at saturation every
    // operation crosses the slow-operation threshold: the table says what they would.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(WorkoutApi.class))
        .setLevel(Level.WARN);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.kvstore.SlowOperations"))
        .setLevel(Level.OFF);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.javalin")).setLevel(Level.WARN);
    Process redis = null;
    Path redisDir = null;
    String uri = o.redisUri();
    if (uri == null) {
      redisDir = Files.createTempDirectory("workout-load-redis-");
      int port = freePort();
      redis = startRedis(port, redisDir);
      uri = "redis://127.0.0.1:" + port;
    }
    try {
      run(o, uri);
    } finally {
      if (redis != null) {
        redis.destroy();
        redis.waitFor(10, TimeUnit.SECONDS);
        redis.destroyForcibly();
        deleteTree(redisDir);
      }
    }
  }

  private static void run(Options o, String redisUri) throws Exception {
    seed(redisUri, o.users());
    ServiceOptions serviceOptions = ServiceOptions.defaults().withPort(0).withRedis(redisUri)
        .withNearCache(o.nearCache());
    long failedTotal = 0;
    try (WorkoutService service = WorkoutService.start(serviceOptions)) {
      ExecutorService clientThreads = Executors.newFixedThreadPool(2, daemon("load-client"));
      ScheduledExecutorService thinkTimer =
          Executors.newSingleThreadScheduledExecutor(daemon("load-think"));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).executor(clientThreads).build();
      System.out.printf(Locale.ROOT,
          "workout service %s on Redis %s, near cache %s, %d users, think time %d ms, %s%n%n",
          service.url(), redisUri, o.nearCache() ? "on" : "off", o.users(), o.think().toMillis(),
          Runtime.version());
      System.out.println("| connections | requests | req/s | p50 ms | p95 ms | p99 ms | max ms"
          + " | errors | near-cache hits | store round trips / request (stats; Server-Timing)"
          + " | in flight (peak) |");
      System.out.println("|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|");
      for (int connections : o.steps()) {
        Step warm = new Step(service, http, thinkTimer, o, connections);
        warm.run(o.warmup(), o.maxRequests());
        Step step = new Step(service, http, thinkTimer, o, connections);
        step.run(o.stepTime(), o.maxRequests());
        System.out.println(step.row());
        failedTotal += warm.failed() + step.failed();
      }
      clientThreads.shutdownNow();
      thinkTimer.shutdownNow();
    }
    System.out.println();
    System.out.println(failedTotal == 0 ? "RESULT: PASS (0 errors)"
        : "RESULT: FAIL (" + failedTotal + " failed requests, warm-up included)");
    if (failedTotal != 0) {
      System.exit(1);
    }
  }

  /** One step: a number of connections, each a closed loop, for a bounded time. */
  private static final class Step {
    private final WorkoutService service;
    private final HttpClient http;
    private final ScheduledExecutorService thinkTimer;
    private final Options options;
    private final int connections;
    private final Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final LongAdder headerRoundTrips = new LongAdder();
    private final LongAdder unattributed = new LongAdder();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private volatile long deadline;
    private long completed;
    private long nanos;
    private KvStats before;
    private KvStats after;

    Step(WorkoutService service, HttpClient http, ScheduledExecutorService thinkTimer,
        Options options, int connections) {
      this.service = service;
      this.http = http;
      this.thinkTimer = thinkTimer;
      this.options = options;
      this.connections = connections;
    }

    void run(Duration time, long maxRequests) {
      before = service.store().stats();
      long start = System.nanoTime();
      deadline = start + time.toNanos();
      List<CompletableFuture<Void>> sessions = new ArrayList<>(connections);
      for (int i = 0; i < connections; i++) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        sessions.add(done);
        next(new SplittableRandom(31L * connections + i), maxRequests, done);
      }
      CompletableFuture.allOf(sessions.toArray(CompletableFuture[]::new)).join();
      nanos = System.nanoTime() - start;
      after = service.store().stats();
      completed = latency.getTotalCount() + failed();
    }

    private void next(SplittableRandom random, long maxRequests, CompletableFuture<Void> done) {
      if (System.nanoTime() >= deadline || sent.incrementAndGet() > maxRequests) {
        done.complete(null);
        return;
      }
      HttpRequest request = request(random);
      peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      long start = System.nanoTime();
      http.sendAsync(request, BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
        inFlight.decrementAndGet();
        record(response, error, System.nanoTime() - start);
        if (options.think().isZero()) {
          next(random, maxRequests, done);
        } else {
          thinkTimer.schedule(() -> next(random, maxRequests, done),
              options.think().toMillis(), TimeUnit.MILLISECONDS);
        }
      });
    }

    private void record(HttpResponse<byte[]> response, Throwable error, long nanos) {
      if (error != null) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        count(cause.getClass().getSimpleName());
        return;
      }
      if (response.statusCode() >= 300) {
        count("HTTP " + response.statusCode());
        return;
      }
      latency.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(nanos),
          latency.getHighestTrackableValue()));
      String timing = response.headers().firstValue("Server-Timing").orElse("");
      Matcher m = STORE_RT.matcher(timing);
      if (m.find()) {
        headerRoundTrips.add(Long.parseLong(m.group(1)));
      }
      if (timing.contains("store-unknown")) {
        unattributed.increment();
      }
    }

    private void count(String kind) {
      errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    long failed() {
      return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** A request of the mix, for a user picked with 80% of the traffic on 20% of the users. */
    private HttpRequest request(SplittableRandom random) {
      int users = options.users();
      int hot = Math.max(1, users / 5);
      int user = random.nextInt(100) < 80 ? random.nextInt(hot) : hot + random.nextInt(
          Math.max(1, users - hot));
      String base = service.url() + "/api/users/" + userId(user);
      int dice = random.nextInt(100);
      HttpRequest.Builder b;
      if (dice < 40) {
        b = HttpRequest.newBuilder(URI.create(base + "/progress"));
      } else if (dice < 75) {
        b = HttpRequest.newBuilder(URI.create(base + "/workouts/completed?limit=20"));
      } else if (dice < 95) {
        int week = 1 + random.nextInt(TrainingProgram.WEEKS);
        int day = 1 + random.nextInt(TrainingProgram.DAYS_PER_WEEK);
        b = HttpRequest.newBuilder(URI.create(base + "/workouts/" + week + "/" + day))
            .header("Content-Type", "application/json")
            .PUT(BodyPublishers.ofString("{\"durationMinutes\": " + (30 + random.nextInt(60))
                + ", \"notes\": \"load run\"}"));
      } else {
        b = HttpRequest.newBuilder(URI.create(service.url() + "/api/program"));
      }
      return b.timeout(REQUEST_TIMEOUT).build();
    }

    String row() {
      double seconds = nanos / 1e9;
      long ok = latency.getTotalCount();
      long hits = after.nearCacheHits() - before.nearCacheHits();
      long misses = after.nearCacheMisses() - before.nearCacheMisses();
      long trips = after.roundTrips() - before.roundTrips();
      Map<String, Long> byKind = new TreeMap<>();
      errors.forEach((k, v) -> byKind.put(k, v.sum()));
      String errorText = byKind.isEmpty() ? "0" : byKind.toString();
      if (unattributed.sum() > 0) {
        errorText += " (" + unattributed.sum() + " responses without attributed round trips)";
      }
      return String.format(Locale.ROOT,
          "| %,d | %,d | %,.0f | %.1f | %.1f | %.1f | %.1f | %s | %s | %.2f; %.2f | %,d |",
          connections, completed, completed / seconds, ms(latency.getValueAtPercentile(50)),
          ms(latency.getValueAtPercentile(95)), ms(latency.getValueAtPercentile(99)),
          ms(latency.getMaxValue()), errorText,
          hits + misses == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%",
              100.0 * hits / (hits + misses)),
          (double) trips / Math.max(1, completed),
          (double) headerRoundTrips.sum() / Math.max(1, ok), peakInFlight.get());
    }

    private static double ms(long micros) {
      return micros / 1000.0;
    }
  }

  static String userId(int n) {
    return String.format("athlete-%05d", n);
  }

  /**
   * Gives every user a history: a random number of the first workouts of the program, 0 to 64,
   * written through kvstore in batches as the service itself would store them.
   */
  private static void seed(String redisUri, int users) {
    SplittableRandom random = new SplittableRandom(42);
    long written = 0;
    try (KvStore store = RedisKvStore.connect(redisUri)) {
      KvNamespace<WorkoutCompletion> ns = store.namespace(
          NamespaceOptions.builder(WorkoutApi.NAMESPACE, WorkoutCompletion.class)
              .ttl(WorkoutApi.TTL).listing(WorkoutApi.LISTING).build());
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      Instant now = Instant.now();
      for (int u = 0; u < users; u++) {
        String user = userId(u);
        int done = random.nextInt(TrainingProgram.WEEKS * TrainingProgram.DAYS_PER_WEEK + 1);
        Map<String, WorkoutCompletion> batch = new LinkedHashMap<>();
        for (TrainingProgram.PlannedWorkout w : TrainingProgram.workouts()) {
          if (batch.size() == done) {
            break;
          }
          batch.put(WorkoutApi.key(user, w.week(), w.day()), new WorkoutCompletion(user,
              w.week(), w.day(), now, 30 + random.nextInt(60), List.of(), "seeded"));
        }
        written += batch.size();
        if (!batch.isEmpty()) {
          writes.add(ns.putAll(batch));
        }
        if (writes.size() >= 64) {
          CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
          writes.clear();
        }
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    }
    System.out.printf(Locale.ROOT, "seeded %,d users with %,d completions%n", users, written);
  }

  private static Process startRedis(int port, Path dir) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder("redis-server", "--port", Integer.toString(port),
          "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
          "--maxclients", "10000")
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile())
          .start();
    } catch (IOException e) {
      throw new IOException("cannot start redis-server (install it, or pass --redis URI)", e);
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return p;
      } catch (IOException notYet) {
        if (!p.isAlive()) {
          throw new IOException("redis-server exited: see " + dir.resolve("redis.log"));
        }
        sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IOException("redis-server did not listen on " + port + " within 10 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
