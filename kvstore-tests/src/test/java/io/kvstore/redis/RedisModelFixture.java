package io.kvstore.redis;

import io.kvstore.KvCodec;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.KvStoreModelProperties;
import io.kvstore.testkit.RedisExtension;
import io.kvstore.testkit.RedisSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The model-based properties on a real Redis, one server or Cluster per class: each sequence
 * connects a store of its own and works in a namespace of its own, deleted after it. Next to the
 * sequences' namespaces lies a namespace of 500 keys of ~480 characters, as in issue 21's SCAN
 * report, so SCAN walks skip other namespaces' keys and see long keys in every reply. Subclasses
 * only choose the server and the migration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisModelFixture extends KvStoreModelProperties {
  /** The class's server or cluster; per-class lifecycle lets an instance field start it once. */
  @RegisterExtension
  final RedisExtension redis;

  private final boolean cluster;
  private final Listing migratesTo;

  /**
   * Chooses the fixture.
   *
   * @param cluster a 3-master Cluster rather than one server
   * @param migratesTo the indexed listing sequences migrate to, or {@code null} for SCAN only
   */
  RedisModelFixture(boolean cluster, Listing migratesTo) {
    this.cluster = cluster;
    this.migratesTo = migratesTo;
    this.redis = cluster ? RedisExtension.cluster() : RedisExtension.server();
  }

  @BeforeAll
  void seedOtherNamespace() {
    if (cluster || redis.source() != RedisSource.URI) {
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

  /**
   * Connects with the default options, but a 1 s command timeout where sequences migrate:
   * {@code reindex()} waits one timeout for writes in flight before it moves keys, and the
   * build runs a few dozen of them.
   */
  @Override
  protected KvStore openStore() {
    RedisKvOptions options = migratesTo == null ? RedisKvOptions.defaults()
        : RedisKvOptions.builder().timeout(Duration.ofSeconds(1)).build();
    return cluster ? RedisKvStore.connectCluster(redis.clusterUris(), options)
        : RedisKvStore.connect(redis.uri(), options);
  }

  @Override
  protected Listing migratesTo() {
    return migratesTo;
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

  /**
   * Fewer sequences than the embedded store's: each connects a store and cleans up after it, and
   * each migration waits out a timeout.
   */
  @Override
  protected int tries() {
    return migratesTo == null ? (cluster ? 25 : 30) : (cluster ? 12 : 15);
  }
}
