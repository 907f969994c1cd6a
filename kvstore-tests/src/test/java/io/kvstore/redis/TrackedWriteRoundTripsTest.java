package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.contract.SharedRedis;
import io.kvstore.testkit.Awaits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 32 item 3: when its store tracks (the default), a near-cached namespace's batch write
 * costs its caller 1 round trip on every topology, and its PUBLISH still goes out, after the
 * write and unawaited, for instances on pub/sub alone. Three stores on one server or Cluster, all
 * near caching 64 keys: the writer and a reader that track, and a reader with tracking off. The
 * writer's {@code putAll(64)} and {@code deleteAll(64)} are 1 round trip each, in {@code stats()}
 * and {@link KvRoundTrips} alike, and both readers see every change (the pub/sub reader only
 * through the PUBLISH, since its entries live 10 minutes). A writer with tracking off waits for
 * the PUBLISH where it cannot ride in the write's batch: 2 round trips in Cluster and indexed
 * namespaces, 1 on one server unindexed.
 */
@ExtendWith(SharedRedis.class)
class TrackedWriteRoundTripsTest {
  private static final int N = 64;
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final RedisKvOptions PUB_SUB_ONLY =
      RedisKvOptions.builder().serverTracking(false).build();

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({"server, SCAN", "server, INDEXED", "cluster, SCAN", "cluster, INDEXED"})
  void aTrackingWritersBatchIsOneRoundTripAndEveryReaderHearsOfIt(String topology,
      String listingName) {
    boolean cluster = topology.equals("cluster");
    Listing listing = listingName.equals("INDEXED") ? Listing.INDEXED : Listing.UNINDEXED;
    NamespaceOptions<String> options = NamespaceOptions.builder("trw", KvCodec.utf8())
        .listing(listing)
        .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(10)).build())
        .build();
    try (KvStore writer = open(cluster, RedisKvOptions.defaults());
        KvStore tracking = open(cluster, RedisKvOptions.defaults());
        KvStore pubSub = open(cluster, PUB_SUB_ONLY);
        KvStore pubSubWriter = open(cluster, PUB_SUB_ONLY)) {
      KvNamespace<String> w = writer.namespace(options);
      List<KvNamespace<String>> readers =
          List.of(tracking.namespace(options), pubSub.namespace(options));
      Map<String, String> v1 = values("v1");
      w.blocking().putAll(v1);
      awaitCached(tracking, readers.get(0), v1);
      awaitCached(pubSub, readers.get(1), v1);

      Map<String, String> v2 = values("v2");
      assertEquals(1, KvRoundTrips.count(writer, () -> w.blocking().putAll(v2)),
          "putAll(64) by a store that tracks");
      awaitCached(tracking, readers.get(0), v2);
      awaitCached(pubSub, readers.get(1), v2);

      long before = writer.stats().roundTrips();
      w.blocking().deleteAll(v2.keySet());
      assertEquals(1, writer.stats().roundTrips() - before, "deleteAll(64), in stats()");
      readers.forEach(r -> awaitSeen(r, Map.of()));

      // The same with the writer on pub/sub alone: the caller waits for the PUBLISH where it
      // cannot ride in the write's batch.
      KvNamespace<String> p = pubSubWriter.namespace(options);
      int expected = cluster || listing.indexed() ? 2 : 1;
      Map<String, String> v3 = values("v3");
      assertEquals(expected, KvRoundTrips.count(pubSubWriter, () -> p.blocking().putAll(v3)),
          "putAll(64) by a store on pub/sub alone");
      readers.forEach(r -> awaitSeen(r, v3));
    }
  }

  private static KvStore open(boolean cluster, RedisKvOptions options) {
    return cluster ? RedisKvStore.connectCluster(SharedRedis.cluster().clusterUris(), options)
        : RedisKvStore.connect(SharedRedis.server().uri(), options);
  }

  private static Map<String, String> values(String version) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < N; i++) {
      values.put("k" + i, version + "-" + i);
    }
    return values;
  }

  /** Until every key reads as {@code expected} (absent when not in it). */
  private static void awaitSeen(KvNamespace<String> ns, Map<String, String> expected) {
    Map<String, String> all = values("any");
    Awaits.until("every key read as expected", WAIT,
        () -> ns.blocking().getAll(all.keySet()).equals(expected));
  }

  /** Until the values are read, then served from the near cache (no round trip). */
  private static void awaitCached(KvStore store, KvNamespace<String> ns,
      Map<String, String> expected) {
    awaitSeen(ns, expected);
    Awaits.until("the values cached", WAIT, () -> KvRoundTrips.count(store,
        () -> assertEquals(expected, ns.blocking().getAll(expected.keySet()))) == 0);
  }
}
