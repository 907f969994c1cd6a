package io.kvstore.redis;

import io.kvstore.KvStore;
import io.kvstore.testkit.RedisExtension;
import io.kvstore.testkit.SchemaEvolutionContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rolling-deploy suite on a real Redis: the old and the new instances are two stores with
 * connections of their own, as two deployed processes would be.
 */
class RedisSchemaEvolutionTest extends SchemaEvolutionContract {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  @Override
  protected KvStore openStore() {
    return RedisKvStore.connect(REDIS.uri());
  }

  @Override
  protected KvStore openPeer(KvStore first) {
    return RedisKvStore.connect(REDIS.uri());
  }
}
