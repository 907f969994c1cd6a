package io.kvstore.testkit.redis;

import io.kvstore.KvStore;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.testkit.redis.internal.RedisSettings;
import io.kvstore.testkit.redis.internal.RunningRedis;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JUnit 5 extension that gives a test class a real Redis, one server or a 3-master Cluster,
 * and a {@link KvStore} on it; it stops what it started after the class, also when tests fail.
 * Register it on a {@code static} field:
 *
 * <pre>{@code
 * class CheckoutTest {
 *   @RegisterExtension static RedisExtension redis = RedisExtension.server();
 *   @RegisterExtension KvRoundTripBudget budget = KvRoundTripBudget.of(redis::store);
 *
 *   @Test
 *   @MaxRoundTrips(1)
 *   void readsTheCartInOneRoundTrip() {
 *     KvStore store = redis.store();   // a RedisKvStore, opened once, closed after the class
 *     // or: RedisKvStore.connect(redis.uri(), options), closed by the test
 *   }
 * }
 * }</pre>
 *
 * <p><b>Where Redis comes from.</b> The first available of, in this order:
 * <ol>
 *   <li>{@link RedisSource#URI}: an existing server named by {@code KVSTORE_TEST_REDIS} (a
 *       Cluster: comma-separated seeds in {@code KVSTORE_TEST_REDIS_CLUSTER}). Tests may flush
 *       it: never point it at data you need.</li>
 *   <li>{@link RedisSource#TESTCONTAINERS}: a container of {@code KVSTORE_TEST_REDIS_IMAGE}
 *       (default {@value io.kvstore.testkit.redis.internal.RedisSettings#DEFAULT_IMAGE}) when a Docker
 *       engine answers. {@code KVSTORE_TEST_REDIS_NETWORK=host} runs it on the host's network,
 *       bound to 127.0.0.1 (for machines where only loopback may be used, and needed for a
 *       Cluster); the default bridge network maps port 6379 to a free host port.</li>
 *   <li>{@link RedisSource#PATH}: a {@code redis-server} process from PATH, on a free loopback
 *       port.</li>
 *   <li>{@link RedisSource#SHIPPED}: the same from the binary {@code embedded-redis} ships
 *       (Redis 6.2, Linux and macOS).</li>
 * </ol>
 * {@code KVSTORE_TEST_REDIS_SOURCES} (such as {@code testcontainers} or {@code path,shipped})
 * changes the order or leaves sources out; {@link #withSources}, {@link #withImage} and
 * {@link #withHostNetwork} do the same in code and win. Every setting may also be given as a
 * system property, lower case with dots ({@code -Dkvstore.test.redis.image=redis:8}), which wins
 * over the variable.
 *
 * <p><b>Failures.</b> If no source is available, every test of the class fails with one message
 * naming what was tried and how to fix it; tests are never skipped. A source that is available
 * but does not start (an image that cannot be pulled, say) fails the class rather than falling
 * back. Start-up is bounded (60 s for a container, 10 s for a process). A server or container
 * that dies during a test fails that test, naming it. A JVM shutdown hook stops what a crashed
 * run left.
 *
 * <p>Thread-safe once started; tests of the class may run in parallel and share the server.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback,
    AfterEachCallback {
  private static final Logger LOG = LoggerFactory.getLogger(RedisExtension.class);

  private final int clusterMasters;
  private final List<RedisSource> sources;
  private final String image;
  private final Boolean hostNetwork;
  private volatile RunningRedis running;
  private volatile String startedBy;
  private KvStore store;

  private RedisExtension(int clusterMasters, List<RedisSource> sources, String image,
      Boolean hostNetwork) {
    this.clusterMasters = clusterMasters;
    this.sources = sources;
    this.image = image;
    this.hostNetwork = hostNetwork;
  }

  /**
   * One Redis server per test class.
   *
   * @return the extension
   */
  public static RedisExtension server() {
    return new RedisExtension(0, null, null, null);
  }

  /**
   * A Redis Cluster of three masters per test class. In containers it needs host networking.
   *
   * @return the extension
   */
  public static RedisExtension cluster() {
    return new RedisExtension(3, null, null, null);
  }

  /**
   * Returns an extension that tries only these sources, in this order, whatever
   * {@code KVSTORE_TEST_REDIS_SOURCES} says.
   *
   * @param order one or more sources
   * @return a new extension
   * @throws IllegalArgumentException if none is given
   */
  public RedisExtension withSources(RedisSource... order) {
    if (order == null || order.length == 0) {
      throw new IllegalArgumentException("name at least one RedisSource");
    }
    return new RedisExtension(clusterMasters, List.of(order), image, hostNetwork);
  }

  /**
   * Returns an extension whose containers run this image, whatever
   * {@code KVSTORE_TEST_REDIS_IMAGE} says.
   *
   * @param name an image with {@code redis-server} on its PATH, such as {@code redis:7.4}
   * @return a new extension
   * @throws IllegalArgumentException if the name is blank
   */
  public RedisExtension withImage(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("image name must not be blank");
    }
    return new RedisExtension(clusterMasters, sources, name, hostNetwork);
  }

  /**
   * Returns an extension whose containers use the host's network, bound to 127.0.0.1, or not,
   * whatever {@code KVSTORE_TEST_REDIS_NETWORK} says.
   *
   * @param host {@code true} for the host's network, {@code false} for Docker's bridge
   * @return a new extension
   */
  public RedisExtension withHostNetwork(boolean host) {
    return new RedisExtension(clusterMasters, sources, image, host);
  }

  /**
   * Starts Redis from the first available source.
   *
   * @param context the test class
   * @throws IllegalStateException if no source is available or the chosen one does not start
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    if (running != null) {
      return;   // a @Nested class shares the server its enclosing class started
    }
    RedisSettings settings = RedisSettings.fromEnvironment();
    if (sources != null) {
      settings = settings.withSources(sources);
    }
    if (image != null) {
      settings = settings.withImage(image);
    }
    if (hostNetwork != null) {
      settings = settings.withHostNetwork(hostNetwork);
    }
    running = RunningRedis.start(settings, clusterMasters);
    startedBy = context.getUniqueId();
    LOG.info("{} for {} at {}", running, context.getDisplayName(), running.uris());
  }

  /**
   * Fails the test during which the server or a container died.
   *
   * @param context the test
   * @throws IllegalStateException if it is no longer running
   */
  @Override
  public void afterEach(ExtensionContext context) {
    RunningRedis redis = running;
    if (redis != null && !redis.isAlive()) {
      throw new IllegalStateException(redis.deathReport() + " during "
          + context.getDisplayName());
    }
  }

  /**
   * Closes the store and stops what was started.
   *
   * @param context the test class
   */
  @Override
  public void afterAll(ExtensionContext context) {
    if (!context.getUniqueId().equals(startedBy)) {
      return;   // a @Nested class ends; its enclosing class stops the server
    }
    RunningRedis redis = running;
    running = null;
    try {
      synchronized (this) {
        if (store != null) {
          store.close();
          store = null;
        }
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  private RunningRedis running() {
    RunningRedis redis = running;
    if (redis == null) {
      throw new IllegalStateException("Redis is not running: register the RedisExtension on a"
          + " static @RegisterExtension field, and use it inside the test class's lifecycle");
    }
    return redis;
  }

  /**
   * Returns a store on this Redis with default options, opened on first use and closed after
   * the class.
   *
   * @return the store
   * @throws IllegalStateException outside the test class's lifecycle
   */
  public synchronized KvStore store() {
    RunningRedis redis = running();
    if (store == null) {
      store = clusterMasters > 0 ? RedisKvStore.connectCluster(redis.uris())
          : RedisKvStore.connect(redis.uris().get(0));
    }
    return store;
  }

  /**
   * Returns the server's URI.
   *
   * @return such as {@code redis://127.0.0.1:24711}; for a Cluster, its first master's
   * @throws IllegalStateException outside the test class's lifecycle
   */
  public String uri() {
    return running().uris().get(0);
  }

  /**
   * Returns the seed URIs of the Cluster.
   *
   * @return one URI per master (one for a single server)
   * @throws IllegalStateException outside the test class's lifecycle
   */
  public List<String> clusterUris() {
    return running().uris();
  }

  /**
   * Returns where Redis came from.
   *
   * @return the source
   * @throws IllegalStateException outside the test class's lifecycle
   */
  public RedisSource source() {
    return running().source();
  }

  /**
   * Returns the server process, to freeze, kill or restart it.
   *
   * @return the process
   * @throws IllegalStateException if Redis is a Cluster, a container or an existing server
   */
  public RedisServer process() {
    RedisServer server = running().server();
    if (server == null) {
      throw new IllegalStateException("no server process: " + running() + " is not one");
    }
    return server;
  }

  /**
   * Returns the Cluster's processes.
   *
   * @return the cluster
   * @throws IllegalStateException if Redis is not a Cluster of processes
   */
  public RedisCluster redisCluster() {
    RedisCluster cluster = running().cluster();
    if (cluster == null) {
      throw new IllegalStateException("no cluster processes: " + running() + " is not one");
    }
    return cluster;
  }

  /**
   * Deletes every key: the server's or every Cluster master's.
   *
   * @throws IllegalStateException outside the test class's lifecycle
   */
  public void flushAll() {
    running().flushAll();
  }
}
