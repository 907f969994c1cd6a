package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisCluster;
import io.kvstore.testkit.redis.RedisServer;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A master that appears after the store opened is tracked: a 3-master Cluster with a replica
 * each (its own, since a master is killed), a kvstore reader near caching a key of the first
 * master's slots for 10 minutes. The master is killed ({@code kill -9}); its replica takes over.
 * The reader gets a tracking connection on the new master (it follows the topology its client
 * refreshes), caches the key again, and a write made on the new master by a plain client (not
 * kvstore: it publishes nothing) is seen. Before masters were followed, the reader served the
 * old value until the entry expired.
 */
class ClusterTrackingFailoverTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aReplicaPromotedAfterOpenIsTrackedAndItsWritesAreSeen() {
    try (RedisCluster cluster = RedisCluster.start(3, 1, Duration.ofSeconds(2));
        KvStore reader = RedisKvStore.connectCluster(cluster.uris(), RedisKvOptions.builder()
            .timeout(Duration.ofSeconds(1)).build())) {
      KvNamespace<String> ns = reader.namespace(NamespaceOptions.builder("fo", KvCodec.utf8())
          .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(10)).build())
          .build());
      // A key of the first master's slots (the first third).
      String key = "k0";
      for (int i = 1; SlotHash.getSlot("fo:" + key) >= 16_384 / 3; i++) {
        key = "k" + i;
      }
      String redisKey = "fo:" + key;
      String k = key;
      RedisServer victim = cluster.masters().get(0);
      RedisServer heir = cluster.replicas().get(0);
      victim.call("SET", redisKey, "v1");
      assertEquals(1L, victim.call("WAIT", "1", "10000"), "v1 replicated");
      awaitCached(reader, ns, k, "v1");

      victim.kill();
      Awaits.until("the replica to take over", WAIT,
          () -> String.valueOf(heir.call("ROLE")).startsWith("[master"));
      Awaits.until("a tracking connection on the new master", WAIT,
          () -> tracked(heir));
      awaitCached(reader, ns, k, "v1");

      heir.call("SET", redisKey, "v2");
      Awaits.until("the write on the new master seen", WAIT,
          () -> "v2".equals(read(ns, k)));
      for (int i = 0; i < 20; i++) {
        assertEquals("v2", read(ns, k), "never back to v1");
      }
    }
  }

  private static String read(KvNamespace<String> ns, String key) {
    try {
      return ns.blocking().get(key).orElse("missing");
    } catch (RuntimeException e) {
      // The dead master's slots fail until the client's topology is refreshed.
      return "failed: " + e.getMessage();
    }
  }

  private static void awaitCached(KvStore reader, KvNamespace<String> ns, String key,
      String value) {
    String[] seen = new String[1];
    Awaits.until(key + " cached as " + value, WAIT,
        () -> KvRoundTrips.count(reader, () -> seen[0] = read(ns, key)) == 0
            && value.equals(seen[0]));
  }

  private static boolean tracked(RedisServer node) {
    for (String line : ((String) node.call("CLIENT", "LIST")).split("\n")) {
      if (line.contains(" name=kvstore-tracking ") && line.matches(".* flags=[^ ]*t[^ ]* .*")) {
        return true;
      }
    }
    return false;
  }
}
