package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvStore;
import io.kvstore.redis.RedisKvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract suite on the binary {@code embedded-redis} ships (Redis 6.2), the last resort on
 * machines without Docker or {@code redis-server}.
 */
class ShippedRedisTest extends KvStoreContract {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server().withSources(RedisSource.SHIPPED);

  @Override
  protected KvStore openStore() {
    REDIS.flushAll();
    return RedisKvStore.connect(REDIS.uri());
  }

  @Override
  protected boolean listsInOrder() {
    return false;
  }

  @Test
  void runsTheShippedBinary() {
    assertEquals(RedisSource.SHIPPED, REDIS.source());
    assertEquals("embedded-redis", REDIS.process().binary().source());
    assertTrue(REDIS.process().binary().version().startsWith("6.2."),
        REDIS.process().binary().version());
  }
}
