package io.kvstore.testkit.redis.internal;

import io.kvstore.testkit.redis.RedisBinary;
import io.kvstore.testkit.redis.RedisCluster;
import io.kvstore.testkit.redis.RedisServer;
import io.kvstore.testkit.redis.RedisSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis a {@link io.kvstore.testkit.redis.RedisExtension} runs on: chosen from the sources in the
 * settings' order, the first available one started. A source that is not available (no URI set,
 * no Docker engine, no binary) is passed over and named in the failure message if none is; one
 * that is available but fails to start fails at once, so that a broken set-up is never hidden
 * by a fallback.
 */
public final class RunningRedis implements AutoCloseable {
  private static final String HOW_TO_FIX = "Fix one of: start a Docker engine (Testcontainers"
      + " pulls the image named by KVSTORE_TEST_REDIS_IMAGE, default " + RedisSettings.DEFAULT_IMAGE
      + "); install redis-server on PATH (apt-get install redis-server, brew install redis);"
      + " keep com.github.codemonstur:embedded-redis on the test class path; or set"
      + " KVSTORE_TEST_REDIS (KVSTORE_TEST_REDIS_CLUSTER for a Cluster) to a server the tests may"
      + " flush.";

  private final RedisSource source;
  private final List<String> uris;
  private final RedisServer server;
  private final RedisCluster cluster;
  private final RedisContainers containers;

  private RunningRedis(RedisSource source, List<String> uris, RedisServer server,
      RedisCluster cluster, RedisContainers containers) {
    this.source = source;
    this.uris = List.copyOf(uris);
    this.server = server;
    this.cluster = cluster;
    this.containers = containers;
  }

  /** A source that cannot be used here; its message says why. */
  private static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * Starts Redis from the first available source.
   *
   * @param settings the sources to try and how
   * @param clusterMasters 0 for one server, else the masters of a Cluster
   * @return the running Redis
   * @throws IllegalStateException if no source is available (the message names what was tried
   *     and how to fix it), or the first available one fails to start
   */
  public static RunningRedis start(RedisSettings settings, int clusterMasters) {
    List<String> tried = new ArrayList<>();
    for (RedisSource source : settings.sources()) {
      String name = source.name().toLowerCase(java.util.Locale.ROOT);
      try {
        return start(source, settings, clusterMasters);
      } catch (Unavailable e) {
        tried.add(name + ": " + e.getMessage());
      } catch (RuntimeException e) {
        throw new IllegalStateException("Redis from " + name + " did not start"
            + (tried.isEmpty() ? "" : " (passed over: " + String.join("; ", tried) + ")")
            + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalStateException("no Redis " + (clusterMasters > 0 ? "Cluster " : "")
        + "for the test; tried " + String.join("; ", tried) + ". " + HOW_TO_FIX);
  }

  private static RunningRedis start(RedisSource source, RedisSettings settings,
      int clusterMasters) {
    boolean isCluster = clusterMasters > 0;
    switch (source) {
      case URI -> {
        if (isCluster && settings.clusterUris().isEmpty()) {
          throw new Unavailable("KVSTORE_TEST_REDIS_CLUSTER is not set");
        }
        if (!isCluster && settings.uri() == null) {
          throw new Unavailable("KVSTORE_TEST_REDIS is not set");
        }
        return new RunningRedis(source,
            isCluster ? settings.clusterUris() : List.of(settings.uri()), null, null, null);
      }
      case TESTCONTAINERS -> {
        if (isCluster && !settings.hostNetwork()) {
          throw new Unavailable("a Cluster in containers needs host networking"
              + " (KVSTORE_TEST_REDIS_NETWORK=host)");
        }
        String noDocker = RedisContainers.whyNoDocker();
        if (noDocker != null) {
          throw new Unavailable(noDocker);
        }
        RedisContainers started = isCluster
            ? RedisContainers.cluster(settings.image(), clusterMasters)
            : RedisContainers.server(settings.image(), settings.hostNetwork());
        return new RunningRedis(source, started.uris(), null, null, started);
      }
      case PATH -> {
        RedisBinary binary = RedisBinary.onPath(settings.searchPath()).orElseThrow(
            () -> new Unavailable("no redis-server in PATH"));
        return process(source, binary, clusterMasters);
      }
      case SHIPPED -> {
        RedisBinary binary;
        try {
          binary = RedisBinary.shipped();
        } catch (RuntimeException e) {
          throw new Unavailable(e.getMessage());
        }
        return process(source, binary, clusterMasters);
      }
      default -> throw new IllegalArgumentException(source.name());
    }
  }

  private static RunningRedis process(RedisSource source, RedisBinary binary,
      int clusterMasters) {
    if (clusterMasters > 0) {
      RedisCluster cluster = RedisCluster.start(binary, clusterMasters, 0, Duration.ofSeconds(3));
      return new RunningRedis(source, cluster.uris(), null, cluster, null);
    }
    RedisServer server = RedisServer.start(binary, List.of());
    return new RunningRedis(source, List.of(server.uri()), server, null, null);
  }

  /**
   * Returns where this Redis came from.
   *
   * @return the source
   */
  public RedisSource source() {
    return source;
  }

  /**
   * Returns the URIs: the server's, or the Cluster masters'.
   *
   * @return {@code redis://host:port} URIs
   */
  public List<String> uris() {
    return uris;
  }

  /**
   * Returns the server process, for sources that run one.
   *
   * @return the process, or {@code null}
   */
  public RedisServer server() {
    return server;
  }

  /**
   * Returns the cluster processes, for sources that run them.
   *
   * @return the cluster, or {@code null}
   */
  public RedisCluster cluster() {
    return cluster;
  }

  /**
   * Tells whether what was started still runs; an existing server given by URI is not watched.
   *
   * @return {@code false} once a process or container has died
   */
  public boolean isAlive() {
    if (server != null) {
      return server.isAlive();
    }
    if (cluster != null) {
      return cluster.masters().stream().allMatch(RedisServer::isAlive);
    }
    return containers == null || containers.isRunning();
  }

  /** Deletes every key on the server or on every Cluster master. */
  public void flushAll() {
    if (server != null) {
      server.flushAll();
    } else if (cluster != null) {
      cluster.flushAll();
    } else if (containers != null) {
      containers.flushAll();
    } else {
      // A server given by URI may need a password or TLS: let Lettuce read the URI.
      for (String uri : uris) {
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
          connection.sync().flushall();
        } finally {
          client.shutdown();
        }
      }
    }
  }

  /**
   * Describes what stopped, for the failure of a test during which it died.
   *
   * @return a description with the container logs' tail where there are containers
   */
  public String deathReport() {
    return this + " stopped" + (containers != null ? "; its log ends: " + containers.logTail()
        : "");
  }

  /** Stops whatever was started; an existing server given by URI is left alone. Idempotent. */
  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (containers != null) {
      containers.close();
    }
  }

  @Override
  public String toString() {
    String what = server != null ? server.toString()
        : cluster != null ? "Cluster of " + cluster.masters().size() + " masters, "
            + cluster.masters().get(0).binary().version() + " (" + source.name().toLowerCase(
                java.util.Locale.ROOT) + ")"
        : containers != null ? "container " + containers : "server at " + uris;
    return "Redis " + what;
  }
}
