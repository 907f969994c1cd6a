package io.kvstore.examples;

import ch.qos.logback.classic.Level;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.redis.RedisKvStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A bounded load run of the workout service on a real Redis, over loopback HTTP, at increasing
 * numbers of concurrent connections. {@code wrk} (Debian's package) holds the connections open and
 * sends the mix in {@code workout-load.lua}: reading a user's progress through the program (one
 * {@code getAll} of 64 keys), listing their completed workouts (one {@code listValues} page),
 * recording a workout (one {@code put}) and fetching the program itself (no store call), 80% of
 * requests for the most active 20% of users, each connection waiting for its answer and then
 * thinking for {@code --think-ms} (0: send the next at once).
 *
 * <pre>
 * java -cp examples/target/kvstore-examples.jar io.kvstore.examples.WorkoutLoad \
 *     --steps 50,200,500,1000 --step-seconds 20 --think-ms 1000
 * </pre>
 *
 * <p>It starts its own {@code redis-server} on a free loopback port (never 6379's) unless given
 * {@code --redis URI}, seeds the users through kvstore, starts the service in this JVM (near cache
 * off unless {@code --near-cache on}), runs wrk for each step (a warm-up, then the measured
 * run; time-bounded, and wrk's per-request timeout is 10 s), and prints one table row per step:
 * requests per second, latency percentiles, errors by kind, near-cache hit rate, store round trips
 * per request (from the store's stats, and from the responses' {@code Server-Timing}), the most
 * connections the service had open, and the CPU each process used. Then it checks the per-user
 * summaries ({@link SummaryCheck}): 16 threads send 4,000 completions and undos for 8 users at
 * once, and every summary must equal what the completion records say (no update lost). Exits
 * with status 1 if any request failed or any summary is off, never because of speed.
 */
public final class WorkoutLoad {
  private WorkoutLoad() {}

  /** The parsed command line. */
  private record Options(List<Integer> steps, Duration stepTime, Duration warmup, Duration think,
      int users, boolean nearCache, String redisUri) {
    static Options parse(String[] args) {
      List<Integer> steps = List.of(50, 200, 500, 1000);
      Duration stepTime = Duration.ofSeconds(20);
      Duration warmup = Duration.ofSeconds(5);
      Duration think = Duration.ZERO;
      int users = 5000;
      boolean nearCache = false; // as the service: on with --near-cache on
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
          case "--near-cache" -> nearCache = v.equals("on");
          case "--redis" -> redis = v;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (args.length % 2 != 0) {
        throw new IllegalArgumentException(args[args.length - 1] + " needs a value");
      }
      return new Options(steps, stepTime, warmup, think, users, nearCache, redis);
    }
  }

  /**
   * Runs the load.
   *
   * @param args {@code --steps 50,200,500,1000 --step-seconds 20 --warmup-seconds 5
   *     --think-ms 0 --users 5000 --near-cache off|on [--redis URI]}
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
      run(o, uri, redis == null ? 0 : redis.pid());
    } finally {
      if (redis != null) {
        redis.destroy();
        redis.waitFor(10, TimeUnit.SECONDS);
        redis.destroyForcibly();
        deleteTree(redisDir);
      }
    }
  }

  private static void run(Options o, String redisUri, long redisPid) throws Exception {
    seed(redisUri, o.users());
    ServiceOptions serviceOptions = ServiceOptions.defaults().withPort(0).withRedis(redisUri)
        .withNearCache(o.nearCache());
    long failedTotal = 0;
    Path script = Files.createTempFile("workout-load-", ".lua");
    try (WorkoutService service = WorkoutService.start(serviceOptions)) {
      Files.writeString(script, luaScript(o));
      System.out.printf(Locale.ROOT,
          "workout service %s on Redis %s, near cache %s, %d users, think time %d ms, %s, %s%n%n",
          service.url(), redisUri, o.nearCache() ? "on" : "off", o.users(), o.think().toMillis(),
          wrkVersion(), "Java " + Runtime.version());
      System.out.println("| connections | requests | req/s | p50 ms | p95 ms | p99 ms | max ms"
          + " | errors | near-cache hits | store round trips / request (stats; Server-Timing)"
          + " | open connections (peak) | CPU: service, wrk, redis (% of one core) |");
      System.out.println("|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|---|");
      for (int connections : o.steps()) {
        LoadStep warm = new LoadStep(service, script, connections, redisPid);
        warm.run(o.warmup());
        LoadStep step = new LoadStep(service, script, connections, redisPid);
        step.run(o.stepTime());
        System.out.println(step.row());
        failedTotal += warm.failed() + step.failed();
      }
      SummaryCheck.Result summaries = SummaryCheck.run(service.url(), "summary-check-", 8, 16,
          250);
      System.out.println();
      System.out.println(summaries.line());
      failedTotal += summaries.mismatches().size();
    } finally {
      Files.deleteIfExists(script);
    }
    System.out.println();
    System.out.println(failedTotal == 0 ? "RESULT: PASS (0 errors)"
        : "RESULT: FAIL (" + failedTotal + " failed requests, warm-up included, and summaries"
            + " off)");
    if (failedTotal != 0) {
      System.exit(1);
    }
  }

  private static String luaScript(Options o) throws IOException {
    try (var in = WorkoutLoad.class.getResourceAsStream("/workout-load.lua")) {
      if (in == null) {
        throw new IOException("workout-load.lua is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("USERS", Integer.toString(o.users()))
          .replace("THINK_MS", Long.toString(o.think().toMillis()));
    }
  }

  private static String wrkVersion() {
    try {
      Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(5, TimeUnit.SECONDS);
      return out.lines().findFirst().orElse("wrk").replaceAll(" Copyright.*", "");
    } catch (IOException e) {
      throw new UncheckedIOException("wrk is needed (Debian package wrk; .ci/run installs it)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String userId(int n) {
    return String.format("athlete-%05d", n);
  }

  /**
   * Gives every user a history: a random number of the first workouts of the program, 0 to 64,
   * written through kvstore in batches as the service itself would store them, and the summary
   * those completions make.
   */
  private static void seed(String redisUri, int users) {
    SplittableRandom random = new SplittableRandom(42);
    long written = 0;
    try (KvStore store = RedisKvStore.connect(redisUri)) {
      KvNamespace<WorkoutCompletion> ns = store.namespace(
          NamespaceOptions.builder(WorkoutApi.NAMESPACE, WorkoutCompletion.class)
              .ttl(WorkoutApi.TTL).listing(WorkoutApi.LISTING).build());
      KvNamespace<Summary> summaries = store.namespace(
          NamespaceOptions.builder(WorkoutApi.SUMMARY_NAMESPACE, Summary.class)
              .ttl(WorkoutApi.TTL).build());
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
          writes.add(summaries.put(user, Summary.of(batch.values())));
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
      try (Socket probe = new Socket("127.0.0.1", port)) {
        probe.getInputStream(); // connected: Redis accepts connections
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
