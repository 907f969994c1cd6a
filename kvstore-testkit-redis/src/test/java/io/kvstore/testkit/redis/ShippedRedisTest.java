package io.kvstore.testkit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract suite on the binary {@code embedded-redis} ships (Redis 6.2), the last resort on
 * machines without Docker or {@code redis-server}.
 */
class ShippedRedisTest extends OneRedisContract {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server().withSources(RedisSource.SHIPPED);

  @Override
  RedisExtension redis() {
    return REDIS;
  }

  @Test
  void runsTheShippedBinary() {
    assertEquals(RedisSource.SHIPPED, REDIS.source());
    assertEquals("embedded-redis", REDIS.process().binary().source());
    assertTrue(REDIS.process().binary().version().startsWith("6.2."),
        REDIS.process().binary().version());
  }
}
