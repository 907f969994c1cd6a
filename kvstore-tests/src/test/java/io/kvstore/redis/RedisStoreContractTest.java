package io.kvstore.redis;

import io.kvstore.KvStore;
import io.kvstore.testkit.KvStoreContract;
import io.kvstore.testkit.RedisExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract suite against a real single Redis server. */
class RedisStoreContractTest extends KvStoreContract {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  @Override
  protected KvStore openStore() {
    // SCAN cost grows with the keyspace: start each test from an empty one.
    REDIS.flushAll();
    return RedisKvStore.connect(REDIS.uri());
  }

  @Override
  protected boolean listsInOrder() {
    return false;
  }
}
