package io.kvstore.redis.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs a real Redis (one server or a 3-master Cluster) for a test class and
 * stops it afterwards, even when tests fail.
 *
 * <pre>{@code
 * @RegisterExtension static RedisExtension redis = RedisExtension.server();
 * KvStore store = RedisKvStore.connect(redis.uri());
 * }</pre>
 *
 * <p>{@code KVSTORE_REDIS_URI} points single-server tests at an existing server instead (it is
 * flushed between tests: never point it at a server holding data you need).
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {
  private final int clusterMasters;
  private RedisServer server;
  private RedisCluster cluster;
  private String externalUri;

  private RedisExtension(int clusterMasters) {
    this.clusterMasters = clusterMasters;
  }

  /**
   * Runs one server per test class.
   *
   * @return the extension
   */
  public static RedisExtension server() {
    return new RedisExtension(0);
  }

  /**
   * Runs a Redis Cluster of three masters per test class.
   *
   * @return the extension
   */
  public static RedisExtension cluster() {
    return new RedisExtension(3);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (clusterMasters > 0) {
      cluster = RedisCluster.start(clusterMasters);
      return;
    }
    String env = System.getenv("KVSTORE_REDIS_URI");
    if (env != null && !env.isBlank()) {
      externalUri = env;
    } else {
      server = RedisServer.start();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * Returns the single server's URI.
   *
   * @return the URI
   */
  public String uri() {
    return externalUri != null ? externalUri : server.uri();
  }

  /**
   * Returns the seed URIs of the cluster.
   *
   * @return the URIs
   */
  public List<String> clusterUris() {
    return cluster.uris();
  }

  /**
   * Returns the server process (not available for an external server).
   *
   * @return the server
   */
  public RedisServer process() {
    if (server == null) {
      throw new IllegalStateException("no server process: cluster mode or KVSTORE_REDIS_URI");
    }
    return server;
  }

  /**
   * Returns the cluster.
   *
   * @return the cluster
   */
  public RedisCluster redisCluster() {
    return cluster;
  }

  /** Deletes every key: the server's or the cluster's. */
  public void flushAll() {
    if (cluster != null) {
      cluster.flushAll();
    } else if (server != null) {
      server.flushAll();
    } else {
      RedisClient client = RedisClient.create(externalUri);
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        connection.sync().flushall();
      } finally {
        client.shutdown();
      }
    }
  }
}
