package io.kvstore.redis;

/** The model-based properties on a real 3-master Redis Cluster, namespaces listed by SCAN. */
class RedisClusterScanModelTest extends RedisModelFixture {
  RedisClusterScanModelTest() {
    super(true, null);
  }
}
