package io.kvstore.redis;

/** The model-based properties on one real Redis server, namespaces listed by SCAN. */
class RedisScanModelTest extends RedisModelFixture {
  RedisScanModelTest() {
    super(false, null);
  }
}
