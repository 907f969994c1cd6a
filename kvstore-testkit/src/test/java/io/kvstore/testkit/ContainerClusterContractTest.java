package io.kvstore.testkit;

import io.kvstore.KvStore;
import io.kvstore.redis.RedisKvStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract suite on a 3-master Redis Cluster of Testcontainers containers on the host's
 * network. Selected by {@code -Pdocker}; fails, never skips, without a Docker engine.
 */
@Tag("docker")
class ContainerClusterContractTest extends KvStoreContract {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.cluster()
      .withSources(RedisSource.TESTCONTAINERS).withHostNetwork(true);

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
