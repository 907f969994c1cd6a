package io.kvstore.contract;

import io.kvstore.KvCodec;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.testkit.StoreFixture;
import io.kvstore.testkit.redis.RedisStoreFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The cells every suite runs on: store x listing x near cache, each cell one
 * {@link StoreFixture}. A new store joins every suite as one fixture class and a line here.
 *
 * <ul>
 *   <li>Stores: the embedded store, the embedded store with latency ({@link EmbeddedFixture}),
 *       one Redis server and a 3-master Redis Cluster ({@link RedisStoreFixture} on
 *       {@link SharedRedis}).
 *   <li>Listing: {@link Listing#UNINDEXED} and {@link Listing#INDEXED} (one partition) on Redis and
 *       Redis Cluster; on the embedded stores the axis has one value, their sorted map, which
 *       lists the same whatever {@code listing} a namespace names. Partitioned indexes
 *       ({@code indexedBy}) need every listed prefix to name a partition, which the suites'
 *       whole-namespace listings do not: {@code RedisClusterIndexedTest} covers them.
 *   <li>Legal: every such cell, near cache off and on: 2 embedded x 1 x 2 + 2 Redis x 2 x 2 =
 *       12 cells.
 *   <li>Illegal: a near cache over a sliding TTL (hits would never reach the store to extend
 *       it), rejected by {@code NamespaceOptions.Builder.build()} when the namespace is opened;
 *       one cell per store and listing: 6, each asserted in {@link IllegalCombinationsTest}.
 *       Nothing else on these axes is rejected at open time.
 * </ul>
 */
final class StoreMatrix {
  /**
   * The indexed cells' command timeout: {@code reindex()} waits one timeout for writes in flight
   * before it moves keys, and the model suite migrates a namespace in many of its sequences.
   */
  private static final Duration INDEXED_TIMEOUT = Duration.ofSeconds(1);

  private StoreMatrix() {}

  /**
   * The legal cells, in the order they run: cheap stores first.
   *
   * @return one fixture per cell
   */
  static List<StoreFixture> legal() {
    List<StoreFixture> cells = new ArrayList<>();
    for (boolean latency : new boolean[] {false, true}) {
      cells.add(new EmbeddedFixture(latency, false));
      cells.add(new EmbeddedFixture(latency, true));
    }
    Stream.of(RedisStoreFixture.server(SharedRedis::server),
        RedisStoreFixture.cluster(SharedRedis::cluster)).forEach(redis -> {
          for (Listing listing : List.of(Listing.UNINDEXED, Listing.INDEXED)) {
            RedisStoreFixture cell = redis.withListing(listing).withOptions(listing.indexed()
                ? RedisKvOptions.builder().timeout(INDEXED_TIMEOUT).build()
                : RedisKvOptions.defaults());
            cells.add(cell.withNearCache(false));
            cells.add(cell.withNearCache(true));
          }
        });
    return cells;
  }

  /**
   * The cells whose namespaces, with a sliding TTL, must be rejected when opened.
   *
   * @return the near-cached cells
   */
  static List<StoreFixture> nearCacheOverSlidingTtl() {
    return legal().stream().filter(cell -> cell.configure(
        NamespaceOptions.builder("probe", KvCodec.bytes())).build().nearCache().isPresent())
        .toList();
  }
}
