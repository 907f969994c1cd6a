package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvTimeoutException;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisExtension;
import io.kvstore.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A write that times out while Redis is paused, and that Redis applies once it resumes, is seen
 * by the writer's own near cache: the writer re-reads the new value, as another store does,
 * instead of serving the old one until {@code expireAfterWrite} (ten minutes here). Waits poll
 * in 10 ms steps, never longer than {@link #BOUND}. On one server and on Cluster.
 */
class TimedOutWriteNearCacheTest {
  @RegisterExtension
  static final RedisExtension SERVER = RedisExtension.server();

  @RegisterExtension
  static final RedisExtension CLUSTER = RedisExtension.cluster();

  private static final Duration BOUND = Duration.ofSeconds(2);

  @Test
  void theWriterSeesItsTimedOutWriteOnOneServer() throws Exception {
    RedisKvOptions options = RedisKvOptions.builder().timeout(Duration.ofMillis(300)).build();
    try (KvStore writer = RedisKvStore.connect(SERVER.uri(), options);
        KvStore other = RedisKvStore.connect(SERVER.uri())) {
      check(writer, other, List.of(SERVER.process()));
    }
  }

  @Test
  void theWriterSeesItsTimedOutWriteOnCluster() throws Exception {
    RedisKvOptions options = RedisKvOptions.builder().timeout(Duration.ofMillis(300)).build();
    try (KvStore writer = RedisKvStore.connectCluster(CLUSTER.clusterUris(), options);
        KvStore other = RedisKvStore.connectCluster(CLUSTER.clusterUris())) {
      check(writer, other, CLUSTER.redisCluster().masters());
    }
  }

  private static void check(KvStore writer, KvStore other, List<RedisServer> servers)
      throws InterruptedException {
    KvNamespace<String> cached = writer.namespace(NamespaceOptions.builder("late", KvCodec.utf8())
        .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(10)).build())
        .build());
    KvNamespace<String> direct = other.namespace(NamespaceOptions.builder("late", KvCodec.utf8())
        .build());
    cached.blocking().put("k", "v1");
    assertEquals(Optional.of("v1"), cached.blocking().get("k"));
    assertEquals(Optional.of("v1"), cached.blocking().get("k"));

    servers.forEach(RedisServer::freeze);
    try {
      assertThrows(KvTimeoutException.class, () -> cached.blocking().put("k", "v2"));
    } finally {
      servers.forEach(RedisServer::thaw);
    }
    awaitValue(() -> direct.blocking().get("k"), "Redis applies the timed-out write");
    awaitValue(() -> cached.blocking().get("k"), "the writer's near cache drops v1");
  }

  private static void awaitValue(Supplier<Optional<String>> read, String what) {
    Awaits.until(what, BOUND, read, Optional.of("v2")::equals);
  }
}
