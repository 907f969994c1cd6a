package io.kvstore.redis;

import io.kvstore.Listing;

/** Where a test's namespace lives (one server or Cluster) and how it lists, for parameters. */
public enum ListingCase {
  SERVER_SCAN(false, Listing.UNINDEXED),
  SERVER_ONE_PARTITION(false, Listing.INDEXED),
  SERVER_BY_USER(false, Listing.indexedBy(Listing.firstSegment(':'))),
  CLUSTER_SCAN(true, Listing.UNINDEXED),
  CLUSTER_ONE_PARTITION(true, Listing.INDEXED),
  CLUSTER_BY_USER(true, Listing.indexedBy(Listing.firstSegment(':')));

  public final boolean cluster;
  public final Listing listing;

  ListingCase(boolean cluster, Listing listing) {
    this.cluster = cluster;
    this.listing = listing;
  }
}
