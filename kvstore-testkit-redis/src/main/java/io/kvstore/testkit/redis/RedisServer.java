package io.kvstore.testkit.redis;

import io.kvstore.testkit.redis.internal.ClusterJoin;
import io.kvstore.testkit.redis.internal.Ports;
import io.kvstore.testkit.redis.internal.Resp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process on a free loopback port, for tests and benchmarks. Never
 * touches a server it did not start. Every server is also stopped by a JVM shutdown hook, so a
 * test that dies still leaves no process behind.
 */
public final class RedisServer implements AutoCloseable {
  private static final Set<RedisServer> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> RUNNING.forEach(server -> {
          server.kill();
          server.deleteDir();
        }), "kvstore-redis-harness-cleanup"));
  }

  private final RedisBinary binary;
  private final int port;
  private final Path dir;
  private final List<String> extraArgs;
  private volatile Process process;
  private volatile boolean frozen;

  private RedisServer(RedisBinary binary, int port, Path dir, List<String> extraArgs) {
    this.binary = binary;
    this.port = port;
    this.dir = dir;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Starts a plain server: no persistence, loopback only.
   *
   * @return the running server
   */
  public static RedisServer start() {
    return start(List.of());
  }

  /**
   * Starts a server with extra configuration, such as {@code --appendonly yes}.
   *
   * @param extraArgs arguments appended to the command line
   * @return the running server
   */
  public static RedisServer start(List<String> extraArgs) {
    return start(RedisBinary.find(), extraArgs);
  }

  /**
   * Starts a server from a given binary.
   *
   * @param binary the redis-server to run
   * @param extraArgs arguments appended to the command line
   * @return the running server
   */
  public static RedisServer start(RedisBinary binary, List<String> extraArgs) {
    for (int attempt = 0; ; attempt++) {
      int port = Ports.freePair();
      RedisServer server = null;
      try {
        Path dir = Files.createTempDirectory("kvstore-redis-" + port + "-");
        server = new RedisServer(binary, port, dir, extraArgs);
        server.launch(false);
        return server;
      } catch (IOException | IllegalStateException e) {
        if (server != null) {
          server.close();
        }
        if (attempt == 4) {
          throw new IllegalStateException("could not start " + binary.path(), e);
        }
      }
    }
  }

  private void launch(boolean loadingIsUp) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(binary.path().toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no",
        "--logfile", dir.resolve("redis.log").toString()));
    if (binary.atLeast(7)) {
      cmd.addAll(List.of("--enable-debug-command", "local"));
    }
    cmd.addAll(extraArgs);
    process = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile())
        .start();
    RUNNING.add(this);
    awaitPong(Duration.ofSeconds(10), loadingIsUp);
  }

  private void awaitPong(Duration timeout, boolean loadingIsUp) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited: " + log());
      }
      try (Resp resp = new Resp(port)) {
        if ("PONG".equals(resp.call("PING"))) {
          // A port found free can be taken by another build's server before ours binds it; ours
          // then exits, but that other server would answer this PING. Only our process counts.
          if (!String.valueOf(resp.call("INFO", "server"))
              .contains("process_id:" + process.pid() + "\r")) {
            kill();
            throw new IllegalStateException("port " + port + " is served by another process");
          }
          return;
        }
      } catch (IOException | RuntimeException notYet) {
        if (loadingIsUp && String.valueOf(notYet.getMessage()).contains("LOADING")) {
          return;
        }
        ClusterJoin.sleep(20);
      }
    }
    kill();
    throw new IllegalStateException("redis-server on port " + port + " did not answer: " + log());
  }

  /**
   * Returns the server's URI.
   *
   * @return {@code redis://127.0.0.1:port}
   */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * Returns the port.
   *
   * @return the port on 127.0.0.1
   */
  public int port() {
    return port;
  }

  /**
   * Returns the binary this server runs.
   *
   * @return the binary
   */
  public RedisBinary binary() {
    return binary;
  }

  /**
   * Runs one admin command on a fresh connection.
   *
   * @param args the command
   * @return the reply
   */
  public Object call(String... args) {
    return ClusterJoin.call(port, args);
  }

  /**
   * Stores raw bytes at a key, bypassing every client-side check: how tests plant values that
   * kvstore would never write.
   *
   * @param key the full Redis key
   * @param value the bytes
   */
  public void set(String key, byte[] value) {
    try (Resp resp = new Resp(port)) {
      resp.call("SET".getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8),
          value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes every key: tests that need an empty keyspace call it first. */
  public void flushAll() {
    call("FLUSHALL");
  }

  /**
   * Tells whether the process is alive.
   *
   * @return {@code true} while it runs
   */
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * Returns the process id.
   *
   * @return the pid of the running redis-server
   */
  public long pid() {
    return process.pid();
  }

  /**
   * Freezes the process (SIGSTOP): its sockets stay open and the kernel still accepts bytes, but
   * nothing is read or answered, as with a server stuck in a long GC-like pause or a frozen VM.
   */
  public void freeze() {
    signal("STOP");
    frozen = true;
  }

  /** Lets a frozen process run again (SIGCONT). */
  public void thaw() {
    signal("CONT");
    frozen = false;
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid()))
          .redirectErrorStream(true).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Makes the server block its event loop for a while ({@code DEBUG SLEEP}), on a background
   * thread since the admin connection waits too. Needs {@code --enable-debug-command local} on
   * Redis 7, which the harness passes.
   *
   * @param duration how long the server sleeps
   * @return completes when the server answers again
   */
  public CompletableFuture<Object> debugSleep(Duration duration) {
    String seconds = String.format(Locale.ROOT, "%.3f", duration.toMillis() / 1000.0);
    return CompletableFuture.supplyAsync(() -> call("DEBUG", "SLEEP", seconds));
  }

  /**
   * Closes every normal client connection ({@code CLIENT KILL TYPE normal}), as a server-side
   * idle reaper or a failover proxy would.
   *
   * @return how many connections were closed
   */
  public long killClients() {
    return (Long) call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
  }

  /**
   * Counts the commands the server has executed ({@code INFO commandstats}), leaving out
   * {@code INFO} itself so that asking does not change the answer.
   *
   * @return the total of every command's calls except INFO
   */
  public long commandsExecuted() {
    String stats = (String) call("INFO", "commandstats");
    return stats.lines().filter(l -> l.startsWith("cmdstat_") && !l.startsWith("cmdstat_info:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("^cmdstat_[^:]+:calls=(\\d+),.*", "$1")))
        .sum();
  }

  /**
   * Counts the calls of one command ({@code INFO commandstats}).
   *
   * @param command the command in lower case, such as {@code mget}
   * @return its calls since start
   */
  public long commandCalls(String command) {
    String stats = (String) call("INFO", "commandstats");
    return stats.lines().filter(l -> l.startsWith("cmdstat_" + command + ":")).findFirst()
        .map(l -> Long.parseLong(l.replaceAll("^cmdstat_[^:]+:calls=(\\d+),.*", "$1")))
        .orElse(0L);
  }

  /** Kills the process at once (SIGKILL), as a crash would. */
  public void kill() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      waitFor(p);
    }
  }

  /**
   * Starts the process again on the same port and directory, after {@link #kill()}.
   *
   * @throws IOException if it cannot start
   */
  public void restart() throws IOException {
    kill();
    frozen = false;
    launch(false);
  }

  /**
   * Starts the process again like {@link #restart()}, but returns as soon as it answers at all,
   * a {@code LOADING} error included, so that a test can talk to it while it reads its dataset.
   *
   * @throws IOException if it cannot start
   */
  public void restartWithoutAwaitingLoad() throws IOException {
    kill();
    frozen = false;
    launch(true);
  }

  /** Stops the server and deletes its directory. Idempotent. */
  @Override
  public void close() {
    Process p = process;
    if (p != null && p.isAlive() && frozen) {
      // A stopped process does not act on SIGTERM until it runs again.
      thaw();
    }
    if (p != null) {
      p.destroy();
      if (!waitFor(p)) {
        p.destroyForcibly();
        waitFor(p);
      }
    }
    RUNNING.remove(this);
    deleteDir();
  }

  private static boolean waitFor(Process p) {
    try {
      return p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void deleteDir() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  private String log() {
    try {
      Path log = dir.resolve("redis.log");
      Path out = dir.resolve("stdout.log");
      return (Files.exists(log) ? Files.readString(log) : "")
          + (Files.exists(out) ? Files.readString(out) : "");
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * Returns a free loopback port, such as for {@code --tls-port}.
   *
   * @return a port that was free a moment ago
   */
  public static int freePort() {
    return Ports.freePair();
  }

  @Override
  public String toString() {
    return "redis-server " + binary.version() + " (" + binary.source() + ") on port " + port;
  }
}
