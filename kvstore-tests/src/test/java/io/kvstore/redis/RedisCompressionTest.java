package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.Compression;
import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.contract.SharedRedis;
import io.kvstore.testing.Workout;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Compressed values on a real Redis: a batch of them is one round trip each way, listing with
 * values and the near cache read them, and Redis holds the compressed bytes ({@code STRLEN}).
 */
@ExtendWith(SharedRedis.class)
class RedisCompressionTest {
  @Test
  void compressedRecordsGoThroughGetAllListingAndTheNearCache() {
    SharedRedis.server().flushAll();
    Map<String, Workout> data = Workout.program("user-42", 64);
    KvCodec<Workout> codec = KvCodec.compressed(KvCodec.json(Workout.class),
        Compression.zstd().withThresholdBytes(0));
    try (KvStore store = RedisKvStore.connect(SharedRedis.server().uri())) {
      KvNamespace<Workout> ns = store.namespace(NamespaceOptions.builder("workout", codec)
          .nearCache(NearCacheOptions.defaults()).build());
      assertEquals(1, KvRoundTrips.count(store, () -> ns.blocking().putAll(data)));
      KvNamespace<Workout> cold = store.namespace(
          NamespaceOptions.builder("workout", codec).build());
      assertEquals(1, KvRoundTrips.count(store,
          () -> assertEquals(data, cold.blocking().getAll(data.keySet()))));

      Map<String, Workout> listed = new HashMap<>();
      ListOptions options = ListOptions.prefix("user-42:").limit(100);
      for (KvValuePage<Workout> page = cold.blocking().listValues(options); ;
          page = cold.blocking().listValues(options.cursor(page.cursor().orElseThrow()))) {
        page.entries().forEach(e -> listed.put(e.key(), e.value()));
        if (page.cursor().isEmpty()) {
          break;
        }
      }
      assertEquals(data, listed);

      assertEquals(data, ns.blocking().getAll(data.keySet()));
      assertEquals(0, KvRoundTrips.count(store, () -> ns.blocking().getAll(data.keySet())),
          "the second read is served by the near cache");

      String key = data.keySet().iterator().next();
      long stored = (Long) SharedRedis.server().process().call("STRLEN", "workout:" + key);
      int plain = KvCodec.json(Workout.class).encode(data.get(key)).length;
      assertTrue(stored < plain, "Redis holds " + stored + " bytes for " + plain + " plain");
    }
  }
}
