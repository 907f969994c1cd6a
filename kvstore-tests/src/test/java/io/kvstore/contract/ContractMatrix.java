package io.kvstore.contract;

import io.kvstore.Listing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cells of the contract matrix: store fixture x listing x near cache.
 *
 * <ul>
 *   <li>Listing: {@link Listing#SCAN} and {@link Listing#INDEXED} (one partition) on Redis and
 *       Redis Cluster; on the embedded stores the axis has one value, their sorted map, which
 *       lists the same whatever {@code listing} a namespace names. Partitioned indexes
 *       ({@code indexedBy}) need every listed prefix to name a partition, which the suite's
 *       whole-namespace listings do not: {@code RedisClusterIndexedTest} covers them.
 *   <li>Legal: every such cell, near cache off and on: 2 embedded x 1 x 2 + 2 Redis x 2 x 2 =
 *       12 cells, each running the whole {@link io.kvstore.testkit.KvStoreContract}.
 *   <li>Illegal: a near cache over a sliding TTL (hits would never reach the store to extend
 *       it), rejected by {@code NamespaceOptions.Builder.build()} when the namespace is opened;
 *       one cell per store and listing: 6, each asserted in {@link IllegalCombinationsTest}.
 *       Nothing else on these axes is rejected at open time.
 * </ul>
 */
final class ContractMatrix {
  private ContractMatrix() {}

  /** The legal cells, in the order they run: cheap stores first. */
  static List<Combination> legal() {
    List<Combination> cells = new ArrayList<>();
    for (StoreFixture fixture : StoreFixture.values()) {
      for (Listing listing : listings(fixture)) {
        cells.add(new Combination(fixture, listing, false));
        cells.add(new Combination(fixture, listing, true));
      }
    }
    return cells;
  }

  /** The cells whose namespaces, with a sliding TTL, must be rejected when opened. */
  static List<Combination> nearCacheOverSlidingTtl() {
    return legal().stream().filter(Combination::nearCache).toList();
  }

  private static List<Listing> listings(StoreFixture fixture) {
    return fixture.hasListingStrategies() ? List.of(Listing.SCAN, Listing.INDEXED)
        : Arrays.asList((Listing) null);
  }
}
