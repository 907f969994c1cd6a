package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.testkit.redis.RedisExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A measurement, not part of {@code verify} (the name does not end in {@code Test}): how long
 * after a {@code put} returns on one store another store's near cache serves the new value, on a
 * 3-master Cluster and on one server. Run it with
 * {@code ./mvnw -pl kvstore-tests -am verify -Dtest=ClusterInvalidationLatencyProbe
 * -Dsurefire.failIfNoSpecifiedTests=false}; it prints p50, p90 and max over {@link #ROUNDS}
 * writes, and asserts only that every write was seen (within {@link #GIVE_UP} each).
 */
class ClusterInvalidationLatencyProbe {
  @RegisterExtension
  static final RedisExtension SERVER = RedisExtension.server();

  @RegisterExtension
  static final RedisExtension CLUSTER = RedisExtension.cluster();

  private static final int ROUNDS = 300;
  private static final Duration GIVE_UP = Duration.ofSeconds(5);

  @Test
  void cluster() {
    try (KvStore writer = RedisKvStore.connectCluster(CLUSTER.clusterUris());
        KvStore reader = RedisKvStore.connectCluster(CLUSTER.clusterUris())) {
      probe("cluster", writer, reader);
    }
  }

  @Test
  void oneServer() {
    try (KvStore writer = RedisKvStore.connect(SERVER.uri());
        KvStore reader = RedisKvStore.connect(SERVER.uri())) {
      probe("one server", writer, reader);
    }
  }

  private static void probe(String where, KvStore writer, KvStore reader) {
    NamespaceOptions<String> options = NamespaceOptions.builder("probe", KvCodec.utf8())
        .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(10)).build())
        .build();
    KvNamespace<String> w = writer.namespace(options);
    KvNamespace<String> r = reader.namespace(options);
    w.blocking().put("k", "v0");
    LockSupport.parkNanos(Duration.ofMillis(500).toNanos()); // subscriptions settle
    long[] micros = new long[ROUNDS];
    int seen = 0;
    for (int i = 1; i <= ROUNDS; i++) {
      String key = "k" + (i % 16);
      w.blocking().put(key, "old");
      r.blocking().get(key); // cached now
      Optional<String> expected = Optional.of("v" + i);
      w.blocking().put(key, expected.get());
      long start = System.nanoTime();
      long deadline = start + GIVE_UP.toNanos();
      while (!r.blocking().get(key).equals(expected) && System.nanoTime() < deadline) {
        LockSupport.parkNanos(50_000);
      }
      micros[i - 1] = (System.nanoTime() - start) / 1000;
      seen += r.blocking().get(key).equals(expected) ? 1 : 0;
    }
    Arrays.sort(micros);
    System.out.printf("invalidation latency, %s, %d writes: p50 %.2f ms, p90 %.2f ms,"
        + " p99 %.2f ms, max %.2f ms%n", where, ROUNDS, micros[ROUNDS / 2] / 1000.0,
        micros[ROUNDS * 9 / 10] / 1000.0, micros[ROUNDS * 99 / 100] / 1000.0,
        micros[ROUNDS - 1] / 1000.0);
    assertEquals(ROUNDS, seen, "writes the other store's near cache never saw");
  }
}
