package io.kvstore.redis;

import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.RedisExtension;
import io.kvstore.testkit.SchemaEvolutionContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rolling-deploy suite on a real 3-master Redis Cluster with indexed namespaces: read-repair's
 * compare-and-set script must run on the node that holds the key, in the indexed key layout.
 */
class RedisClusterSchemaEvolutionTest extends SchemaEvolutionContract {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.cluster();

  @Override
  protected KvStore openStore() {
    return RedisKvStore.connectCluster(REDIS.clusterUris());
  }

  @Override
  protected KvStore openPeer(KvStore first) {
    return RedisKvStore.connectCluster(REDIS.clusterUris());
  }

  @Override
  protected <V> NamespaceOptions.Builder<V> configure(NamespaceOptions.Builder<V> builder) {
    return builder.listing(Listing.INDEXED);
  }
}
