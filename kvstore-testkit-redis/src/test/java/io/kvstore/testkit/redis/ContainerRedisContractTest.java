package io.kvstore.testkit.redis;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract suite on Redis in a Testcontainers container: fails, never skips, without a
 * Docker engine. Image and network from {@code KVSTORE_TEST_REDIS_IMAGE} and
 * {@code KVSTORE_TEST_REDIS_NETWORK}; selected by {@code -Pdocker}.
 */
@Tag("docker")
class ContainerRedisContractTest extends OneRedisContract {
  @RegisterExtension
  static final RedisExtension REDIS =
      RedisExtension.server().withSources(RedisSource.TESTCONTAINERS);

  @Override
  RedisExtension redis() {
    return REDIS;
  }
}
