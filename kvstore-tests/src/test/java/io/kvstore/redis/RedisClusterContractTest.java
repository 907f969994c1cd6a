package io.kvstore.redis;

import io.kvstore.KvStore;
import io.kvstore.testkit.KvStoreContract;
import io.kvstore.testkit.RedisExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract suite against a real 3-master Redis Cluster. */
class RedisClusterContractTest extends KvStoreContract {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.cluster();

  @Override
  protected KvStore openStore() {
    REDIS.flushAll();
    return RedisKvStore.connectCluster(REDIS.clusterUris());
  }

  @Override
  protected boolean listsInOrder() {
    return false;
  }
}
