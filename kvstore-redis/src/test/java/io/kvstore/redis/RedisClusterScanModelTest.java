package io.kvstore.redis;

import io.kvstore.redis.testing.RedisExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The model-based properties on a real 3-master Redis Cluster, namespaces listed by SCAN. */
class RedisClusterScanModelTest extends RedisModelFixture {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.cluster();

  @Override
  RedisExtension redis() {
    return REDIS;
  }

  @Override
  boolean cluster() {
    return true;
  }
}
