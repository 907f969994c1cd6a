package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A near-cached {@code getAll} issued while its keys expire on Redis never keeps a value past the
 * key's expiry: once Redis has dropped every key, the near cache serves none of them, although
 * its {@code expireAfterWrite} is a minute. The read used to take the value from MGET and the
 * expiry from a PTTL in the same pipeline; a key expiring between the two read -2, taken as "no
 * expiry". Each trial writes 2,000 keys with a 100 ms TTL (jitter 5%) and, from 90 ms on, loads
 * them 20 at a time, back to back, so loads run through the window where they expire; 30 trials,
 * on one server and on Cluster.
 */
class NearCacheExpiryRaceTest {
  @RegisterExtension
  static final RedisExtension SERVER = RedisExtension.server();

  @RegisterExtension
  static final RedisExtension CLUSTER = RedisExtension.cluster();

  private static final int TRIALS = 30;
  private static final int KEYS = 2000;

  @ParameterizedTest(name = "cluster={0}")
  @ValueSource(booleans = {false, true})
  void aValueReadWhileItExpiresIsNeverServedAfterItsKeyIsGone(boolean cluster) throws Exception {
    try (KvStore cached = open(cluster); KvStore plain = open(cluster)) {
      NamespaceOptions.Builder<String> options = NamespaceOptions.builder("race", KvCodec.utf8())
          .ttl(TtlPolicy.fixed(Duration.ofMillis(100)).withJitter(0.05));
      KvNamespace<String> near = cached.namespace(options
          .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(1)).build())
          .build());
      KvNamespace<String> direct = plain.namespace(NamespaceOptions.builder("race",
          KvCodec.utf8()).build());
      List<String> stale = new ArrayList<>();
      for (int trial = 0; trial < TRIALS; trial++) {
        Map<String, String> data = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
          data.put("t" + trial + ":" + i, "v" + i);
        }
        direct.blocking().putAll(data, io.kvstore.PutOptions.ttl(
            TtlPolicy.fixed(Duration.ofMillis(100)).withJitter(0.05)));
        Thread.sleep(90);
        List<String> keys = new ArrayList<>(data.keySet());
        for (int from = 0; from < KEYS; from += 20) {
          near.blocking().getAll(keys.subList(from, from + 20));
        }
        awaitGone(direct, data);
        Map<String, String> served = near.blocking().getAll(data.keySet());
        if (!served.isEmpty()) {
          stale.add("trial " + trial + ": " + served.size() + " keys");
        }
      }
      assertEquals(List.of(), stale, "the near cache served keys that Redis had expired");
    }
  }

  private static KvStore open(boolean cluster) {
    return cluster ? RedisKvStore.connectCluster(CLUSTER.clusterUris())
        : RedisKvStore.connect(SERVER.uri());
  }

  /** Redis expires keys on its own clock: poll until all are gone. */
  private static void awaitGone(KvNamespace<String> direct, Map<String, String> data) {
    Awaits.until("the keys to expire", Duration.ofSeconds(5),
        () -> direct.blocking().getAll(data.keySet()).isEmpty());
  }
}
