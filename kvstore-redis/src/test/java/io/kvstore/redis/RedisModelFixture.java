package io.kvstore.redis;

import io.kvstore.KvCodec;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.redis.testing.RedisExtension;
import io.kvstore.testkit.KvStoreModelProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;

/**
 * The model-based properties on a real Redis, one server or Cluster per class: each sequence
 * connects a store of its own and works in a namespace of its own, deleted after it. Next to the
 * sequences' namespaces lies a namespace of 500 keys of ~480 characters, as in issue 21's SCAN
 * report, so SCAN walks skip other namespaces' keys and see long keys in every reply.
 */
abstract class RedisModelFixture extends KvStoreModelProperties {
  private static final Set<RedisExtension> SEEDED = ConcurrentHashMap.newKeySet();

  /**
   * Returns the class's server or cluster.
   *
   * @return the extension that runs it
   */
  abstract RedisExtension redis();

  /**
   * Whether the class runs a Cluster.
   *
   * @return {@code true} for a Cluster
   */
  abstract boolean cluster();

  @BeforeEach
  void seedOtherNamespace() {
    String external = System.getenv("KVSTORE_REDIS_URI");
    if ((external == null || external.isBlank() || cluster()) && SEEDED.add(redis())) {
      try (KvStore store = openStore()) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
          keys.put("n".repeat(470) + ":" + i, "noise");
        }
        store.namespace(NamespaceOptions.builder("model-noise", KvCodec.utf8()).build())
            .blocking().putAll(keys);
      }
    }
  }

  @Override
  protected KvStore openStore() {
    return cluster() ? RedisKvStore.connectCluster(redis().clusterUris())
        : RedisKvStore.connect(redis().uri());
  }

  @Override
  protected boolean listsInOrder(Listing listing) {
    return listing.indexed();
  }

  @Override
  protected boolean buildsIndexes() {
    return true;
  }

  @Override
  protected boolean sharesData() {
    return true;
  }

  /** Fewer sequences than the embedded store's: each connects a store and cleans up after it. */
  @Override
  protected int tries() {
    return cluster() ? 25 : 30;
  }
}
