package io.kvstore.redis;

import io.kvstore.Listing;

/**
 * The model-based properties on a real 3-master Redis Cluster, migrating each namespace from SCAN
 * to {@link Listing#INDEXED} partway through the sequence, as {@link RedisIndexedModelTest}.
 */
class RedisClusterIndexedModelTest extends RedisModelFixture {
  RedisClusterIndexedModelTest() {
    super(true, Listing.INDEXED);
  }
}
