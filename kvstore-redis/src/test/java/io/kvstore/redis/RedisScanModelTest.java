package io.kvstore.redis;

import io.kvstore.redis.testing.RedisExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The model-based properties on one real Redis server, namespaces listed by SCAN. */
class RedisScanModelTest extends RedisModelFixture {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  @Override
  RedisExtension redis() {
    return REDIS;
  }

  @Override
  boolean cluster() {
    return false;
  }
}
