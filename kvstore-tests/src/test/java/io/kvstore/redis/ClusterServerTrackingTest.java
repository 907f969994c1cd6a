package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisExtension;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Server tracking on a 3-master Cluster: one tracking connection per master, so a plain Lettuce
 * cluster client's changes and deletes of keys on every master, and its {@code FLUSHALL}, reach
 * a kvstore reader's near cache, whose entries would otherwise live 10 minutes. Waits poll
 * ({@link Awaits}).
 */
class ClusterServerTrackingTest {
  @RegisterExtension
  static final RedisExtension CLUSTER = RedisExtension.cluster();

  private static final Duration BOUND = Duration.ofSeconds(5);
  /** Enough keys to land on every master of three. */
  private static final int KEYS = 12;

  private RedisClusterClient plainClient;
  private RedisAdvancedClusterCommands<String, String> writer;
  private KvStore reader;

  @BeforeEach
  void open() {
    CLUSTER.flushAll();
    plainClient = RedisClusterClient.create(CLUSTER.clusterUris().get(0));
    writer = plainClient.connect().sync();
    reader = RedisKvStore.connectCluster(CLUSTER.clusterUris());
  }

  @AfterEach
  void close() {
    reader.close();
    plainClient.shutdown();
  }

  /** A near-cached namespace whose keys on every master hold v1 and are cached. */
  private KvNamespace<String> cachingV1OnEveryMaster() {
    KvNamespace<String> ns = reader.namespace(NamespaceOptions.builder("doc", KvCodec.utf8())
        .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(10)).build())
        .build());
    for (int i = 0; i < KEYS; i++) {
      writer.set("doc:k" + i, "v1");
    }
    for (int i = 0; i < KEYS; i++) {
      String key = "k" + i;
      Awaits.until(key + " cached", BOUND, () -> KvRoundTrips.count(reader,
          () -> assertEquals("v1", ns.blocking().get(key).orElse("missing"))) == 0);
    }
    return ns;
  }

  @Test
  void aPlainClientsChangesOnEveryMasterAreSeen() {
    KvNamespace<String> ns = cachingV1OnEveryMaster();
    for (int i = 0; i < KEYS; i++) {
      writer.set("doc:k" + i, i % 2 == 0 ? "v2" : "v1");
      if (i % 2 == 1) {
        writer.del("doc:k" + i);
      }
    }
    for (int i = 0; i < KEYS; i++) {
      String key = "k" + i;
      String expected = i % 2 == 0 ? "v2" : "missing";
      Awaits.until(key + " changed on its master", BOUND,
          () -> ns.blocking().get(key).orElse("missing").equals(expected));
    }
  }

  /** Lettuce sends {@code FLUSHALL} to every master: each one's null invalidation clears. */
  @Test
  void aFlushAllOfTheClusterClearsTheNearCache() {
    KvNamespace<String> ns = cachingV1OnEveryMaster();
    writer.flushall();
    for (int i = 0; i < KEYS; i++) {
      String key = "k" + i;
      Awaits.until(key + " flushed", BOUND,
          () -> ns.blocking().get(key).orElse("missing").equals("missing"));
    }
  }
}
