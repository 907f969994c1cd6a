package io.kvstore.redis;

import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.testkit.KvStoreContract;
import io.kvstore.testkit.RedisExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract suite against a real 3-master Redis Cluster, every namespace indexed with the
 * default single partition: each namespace lives in one slot, which the suite's namespaces are
 * small enough for. Partitioned namespaces are covered by {@link RedisClusterIndexedTest}.
 */
class RedisClusterIndexedContractTest extends KvStoreContract {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.cluster();

  @Override
  protected KvStore openStore() {
    REDIS.flushAll();
    return new ListingOverride(RedisKvStore.connectCluster(REDIS.clusterUris()), Listing.INDEXED);
  }
}
