package io.kvstore.contract;

import io.kvstore.testkit.redis.RedisExtension;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Redis server and one 3-master Redis Cluster for every class of the run that registers this
 * extension (the store matrix, its rejections, the publish-after tests): each is started on
 * first use, from the same sources as {@link RedisExtension} (this module pins
 * {@code uri,path,shipped}), and stopped when the whole run ends, also when tests fail. Before
 * each test, whichever has started is flushed, so SCAN's cost, which grows with the keyspace,
 * stays that of one test's keys. Tests run one at a time (the build runs no tests in parallel).
 */
public final class SharedRedis implements BeforeAllCallback, BeforeEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedRedis.class);
  private static volatile ExtensionContext root;

  /** Registered with {@code @ExtendWith(SharedRedis.class)}. */
  public SharedRedis() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    root = context.getRoot();
  }

  /**
   * The shared server, started on first use.
   *
   * @return the running extension, whose {@code uri()}, {@code process()} and
   *     {@code flushAll()} the tests use
   */
  public static RedisExtension server() {
    return running("server").redis;
  }

  /**
   * The shared 3-master Cluster, started on first use.
   *
   * @return the running extension, whose {@code clusterUris()}, {@code redisCluster()} and
   *     {@code flushAll()} the tests use
   */
  public static RedisExtension cluster() {
    return running("cluster").redis;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    for (String kind : new String[] {"server", "cluster"}) {
      Running running = context.getRoot().getStore(NAMESPACE).get(kind, Running.class);
      if (running != null) {
        running.redis().flushAll();
      }
    }
  }

  private static Running running(String kind) {
    ExtensionContext context = root;
    if (context == null) {
      throw new IllegalStateException("register SharedRedis with @ExtendWith on the test class");
    }
    return context.getStore(NAMESPACE).computeIfAbsent(kind, k -> {
      RedisExtension redis = k.equals("cluster") ? RedisExtension.cluster()
          : RedisExtension.server();
      redis.beforeAll(context);
      return new Running(redis, context);
    }, Running.class);
  }

  /** Stopped by JUnit when the root context closes: the end of the run. */
  private record Running(RedisExtension redis, ExtensionContext context) implements AutoCloseable {
    @Override
    public void close() {
      redis.afterAll(context);
    }
  }
}
