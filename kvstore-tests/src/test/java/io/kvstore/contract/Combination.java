package io.kvstore.contract;

import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.TtlPolicy;

/**
 * One cell of the contract matrix: a store, how its namespaces list, whether they have a near
 * cache.
 *
 * @param fixture the store
 * @param listing the listing every namespace is opened with, or {@code null} on a store without
 *     listing strategies (the embedded one), where namespaces keep the default
 * @param nearCache whether every namespace gets a near cache (but see {@link #configure})
 */
record Combination(StoreFixture fixture, Listing listing, boolean nearCache) {

  /**
   * Applies the cell's listing and near cache to a namespace the suite opens. A sliding-TTL
   * namespace keeps no near cache: that pair is rejected when the namespace is opened
   * ({@link IllegalCombinationsTest}), so the suite's sliding-TTL test runs without one.
   */
  <V> NamespaceOptions.Builder<V> configure(NamespaceOptions.Builder<V> builder) {
    if (listing != null) {
      builder.listing(listing);
    }
    if (nearCache && builder.build().ttl().kind() != TtlPolicy.Kind.SLIDING) {
      builder.nearCache(NearCacheOptions.builder().build());
    }
    return builder;
  }

  /**
   * Round trips of a batch write: one, plus one where a near-cached namespace publishes its
   * invalidation only once the write is applied (Redis Cluster, indexed namespaces), which the
   * PUBLISH cannot ride with.
   */
  int writeRoundTrips() {
    boolean publishAfter = fixture == StoreFixture.REDIS_CLUSTER
        || (listing != null && listing.indexed());
    return nearCache && publishAfter ? 2 : 1;
  }

  /** Whether listing returns keys in UTF-8 byte order: everywhere but SCAN. */
  boolean listsInOrder() {
    return !Listing.SCAN.equals(listing);
  }

  @Override
  public String toString() {
    String how = listing == null ? "sorted map" : listing.indexed() ? "indexed" : "SCAN";
    return fixture + ", " + how + ", near cache " + (nearCache ? "on" : "off");
  }
}
