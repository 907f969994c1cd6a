package io.kvstore.testkit.redis;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract suite on a 3-master Redis Cluster of Testcontainers containers on the host's
 * network. Selected by {@code -Pdocker}; fails, never skips, without a Docker engine.
 */
@Tag("docker")
class ContainerClusterContractTest extends OneRedisContract {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.cluster()
      .withSources(RedisSource.TESTCONTAINERS).withHostNetwork(true);

  @Override
  RedisExtension redis() {
    return REDIS;
  }
}
