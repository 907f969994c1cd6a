package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.redis.ListingCase;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.testkit.redis.RedisExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batches larger than the request queue work with a near cache, as they do without:
 * {@code putAll}, {@code getAll} (cold, then from the near cache) and {@code deleteAll}, on SCAN
 * and indexed namespaces, one server and Cluster. They used to fail as an outage ("Request queue
 * size exceeded") because of one PTTL per key and the PUBLISH on top of one SET per key. The
 * matrix runs with a queue of 10,000 and 12,000 keys (the same limit, cheaper to reach); one
 * case runs the reported 100,000 keys with the defaults.
 */
class LargeNearCachedBatchTest {
  @RegisterExtension
  static final RedisExtension SERVER = RedisExtension.server();

  @RegisterExtension
  static final RedisExtension CLUSTER = RedisExtension.cluster();

  private static final int QUEUE = 10_000;

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = ListingCase.class, names = {"SERVER_SCAN", "SERVER_ONE_PARTITION",
      "CLUSTER_SCAN", "CLUSTER_BY_USER"})
  void aBatchLargerThanTheRequestQueueGoesThroughTheNearCache(ListingCase c) {
    roundTrip(c, RedisKvOptions.builder().requestQueueSize(QUEUE), QUEUE + QUEUE / 5);
  }

  @Test
  void aHundredThousandKeysWithTheDefaultQueue() {
    roundTrip(ListingCase.SERVER_SCAN, RedisKvOptions.builder(), 100_000);
  }

  private static void roundTrip(ListingCase c, RedisKvOptions.Builder builder, int count) {
    (c.cluster ? CLUSTER : SERVER).flushAll();
    // A generous timeout: this is about the request queue, not about a busy machine's speed.
    RedisKvOptions options = builder.timeout(Duration.ofSeconds(30)).build();
    try (KvStore store = c.cluster ? RedisKvStore.connectCluster(CLUSTER.clusterUris(), options)
        : RedisKvStore.connect(SERVER.uri(), options)) {
      KvNamespace<String> ns = store.namespace(NamespaceOptions.builder("big", KvCodec.utf8())
          .listing(c.listing)
          .nearCache(NearCacheOptions.builder().maximumSize(2L * count).build())
          .build());
      Map<String, String> data = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        data.put("u" + (i % 100) + ":" + i, "v" + i);
      }
      ns.blocking().putAll(data);
      assertEquals(data, ns.blocking().getAll(data.keySet()));
      assertEquals(data, ns.blocking().getAll(data.keySet()));
      assertEquals(count, ns.blocking().deleteAll(data.keySet()));
      assertEquals(Map.of(), ns.blocking().getAll(data.keySet()));
    }
  }
}
