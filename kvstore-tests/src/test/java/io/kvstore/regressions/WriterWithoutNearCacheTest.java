package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.contract.SharedRedis;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A writer whose own view of a namespace has no near cache (a batch job, an admin tool) still
 * invalidates the near caches of every other instance: a reader never serves an old or deleted
 * value for longer than the invalidation bound, on one server and in Cluster, whatever the
 * namespace's listing strategy.
 */
@ExtendWith(SharedRedis.class)
class WriterWithoutNearCacheTest {
  /** Well under the reader's expireAfterWrite, so only an invalidation can explain a fresh read. */
  private static final Duration BOUND = Duration.ofSeconds(5);

  /** How to open a store, and the servers whose subscriber counts say a reader listens. */
  record Topology(Supplier<KvStore> open, Supplier<List<RedisServer>> servers) {}

  static Stream<Named<Topology>> topologies() {
    return Stream.of(
        Named.of("Redis", new Topology(() -> RedisKvStore.connect(SharedRedis.server().uri()),
            () -> List.of(SharedRedis.server().process()))),
        Named.of("Redis Cluster", new Topology(
            () -> RedisKvStore.connectCluster(SharedRedis.cluster().clusterUris()),
            () -> SharedRedis.cluster().redisCluster().masters())));
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> cells() {
    return topologies().flatMap(t -> Stream.of(Listing.UNINDEXED, Listing.INDEXED)
        .map(l -> org.junit.jupiter.params.provider.Arguments.of(t, l)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("cells")
  void aWriterWithoutANearCacheInvalidatesTheReadersNearCache(Topology topology, Listing listing)
      throws Exception {
    SharedRedis.server().flushAll();
    SharedRedis.cluster().flushAll();
    NamespaceOptions<String> plain = NamespaceOptions.builder("invalidated", String.class)
        .listing(listing).build();
    NamespaceOptions<String> cached = plain.toBuilder()
        .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(10)).build())
        .build();
    try (KvStore readerStore = topology.open().get(); KvStore writerStore = topology.open().get()) {
      KvNamespace<String> reader = readerStore.namespace(cached);
      KvNamespace<String> writer = writerStore.namespace(plain);
      writer.blocking().putAll(Map.of("a", "1", "b", "1", "c", "1"));
      // The reader caches all three once its subscription is in place (opening a namespace
      // does not wait for it).
      awaitEquals(1L, () -> subscribers(topology), "the reader's subscription");
      assertEquals(3, reader.blocking().getAll(List.of("a", "b", "c")).size());

      writer.blocking().put("a", "2");
      writer.blocking().putAll(Map.of("b", "2"));
      writer.blocking().delete("c");

      awaitEquals(Optional.of("2"), () -> reader.blocking().get("a"), "single put");
      awaitEquals(Optional.of("2"), () -> reader.blocking().get("b"), "putAll");
      awaitEquals(Optional.empty(), () -> reader.blocking().get("c"), "delete");
    }
  }

  private static long subscribers(Topology topology) {
    long count = 0;
    for (RedisServer server : topology.servers().get()) {
      List<?> reply = (List<?>) server.call("PUBSUB", "NUMSUB", "kvstore:invalidate:invalidated");
      count += (Long) reply.get(1);
    }
    return count;
  }

  private static <T> void awaitEquals(T expected, Supplier<T> actual, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    T last;
    do {
      last = actual.get();
      if (expected.equals(last)) {
        return;
      }
      Thread.sleep(10);
    } while (System.nanoTime() < deadline);
    fail(what + ": the reader's near cache still served " + last + " after " + BOUND);
  }
}
