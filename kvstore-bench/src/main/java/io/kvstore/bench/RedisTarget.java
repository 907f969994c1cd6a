package io.kvstore.bench;

import io.kvstore.testkit.redis.RedisCluster;
import io.kvstore.testkit.redis.RedisServer;
import io.kvstore.testkit.redis.TcpProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The Redis a benchmark trial talks to. By default the trial starts its own {@code redis-server}
 * (or cluster) on free loopback ports with the test harness and stops it on {@link #close()}.
 * {@code -Dkvstore.redis=redis://host:port} (and {@code -Dkvstore.redis.cluster=redis://h1:p1,...})
 * point it at a running server instead; pass them to the forked JVMs with
 * {@code -jvmArgsAppend "-Dkvstore.redis=redis://127.0.0.1:6379"}. Added latency needs a loopback
 * server, since {@code TcpProxy} only forwards to 127.0.0.1. Not thread-safe.
 *
 * <p>{@code -Dkvstore.bench.redisCpu=N} pins a server this target starts to CPU {@code N}
 * ({@code taskset}), so on a machine of few cores Redis does not compete with the client's
 * threads for one: run the benchmark JVM under {@code taskset -c 0} (its forks inherit that)
 * and pass {@code -jvmArgsAppend -Dkvstore.bench.redisCpu=1}. Pinning changes what is measured;
 * a result says whether it was pinned.
 */
public final class RedisTarget implements AutoCloseable {
  /** System property naming an existing single Redis server. */
  public static final String SERVER_PROPERTY = "kvstore.redis";

  /** System property naming the CPU to pin a started server to. */
  public static final String REDIS_CPU_PROPERTY = "kvstore.bench.redisCpu";

  /** System property naming the seed nodes of an existing Redis Cluster, comma-separated. */
  public static final String CLUSTER_PROPERTY = "kvstore.redis.cluster";

  private final AutoCloseable started;
  private final TcpProxy proxy;
  private final List<String> uris;

  private RedisTarget(AutoCloseable started, TcpProxy proxy, List<String> uris) {
    this.started = started;
    this.proxy = proxy;
    this.uris = uris;
  }

  /**
   * Starts (or finds) a single server, behind a latency proxy if {@code addedRoundTrip > 0}.
   *
   * @param addedRoundTrip latency to add per round trip
   * @return the target
   */
  public static RedisTarget server(Duration addedRoundTrip) {
    String external = System.getProperty(SERVER_PROPERTY);
    RedisServer server = external == null ? RedisServer.start() : null;
    if (server != null) {
      pin(server);
    }
    String direct = external == null ? server.uri() : external;
    if (addedRoundTrip.isZero()) {
      return new RedisTarget(server, null, List.of(direct));
    }
    try {
      TcpProxy proxy = TcpProxy.start(URI.create(direct).getPort(), addedRoundTrip);
      return new RedisTarget(server, proxy, List.of(proxy.uri()));
    } catch (IOException e) {
      if (server != null) {
        server.close();
      }
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts (or finds) a Redis Cluster of three masters.
   *
   * @return the target
   */
  public static RedisTarget cluster() {
    String external = System.getProperty(CLUSTER_PROPERTY);
    if (external != null) {
      return new RedisTarget(null, null, Arrays.asList(external.split(",")));
    }
    RedisCluster cluster = RedisCluster.start(3);
    cluster.masters().forEach(RedisTarget::pin);
    return new RedisTarget(cluster, null, cluster.uris());
  }

  /** Pins a started server's threads to {@link #REDIS_CPU_PROPERTY}'s CPU, if it is set. */
  private static void pin(RedisServer server) {
    String cpu = System.getProperty(REDIS_CPU_PROPERTY);
    if (cpu == null) {
      return;
    }
    try {
      Process taskset = new ProcessBuilder("taskset", "-a", "-pc", cpu,
          Long.toString(server.pid())).redirectErrorStream(true).start();
      String output = new String(taskset.getInputStream().readAllBytes());
      if (taskset.waitFor() != 0) {
        throw new IllegalStateException("taskset could not pin Redis to CPU " + cpu + ": "
            + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("taskset is needed for -D" + REDIS_CPU_PROPERTY, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pinning Redis", e);
    }
  }

  /**
   * Returns the URI clients connect to: the proxy's when latency is added.
   *
   * @return {@code redis://host:port}
   */
  public String uri() {
    return uris.get(0);
  }

  /**
   * Returns the seed URIs: one for a single server, every master for a cluster.
   *
   * @return the URIs
   */
  public List<String> uris() {
    return uris;
  }

  /** Stops the proxy and whatever this target started; leaves an existing server alone. */
  @Override
  public void close() {
    if (proxy != null) {
      proxy.close();
    }
    if (started != null) {
      try {
        started.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop " + started, e);
      }
    }
  }
}
