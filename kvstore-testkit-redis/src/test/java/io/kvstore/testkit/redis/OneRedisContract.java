package io.kvstore.testkit.redis;

import io.kvstore.testkit.KvStoreContract;
import io.kvstore.testkit.StoreFixture;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract suite on one {@link RedisExtension} of a subclass (SCAN, no near cache), as a
 * check of where that Redis comes from; each test starts on an empty keyspace, since SCAN walks
 * all of it.
 */
abstract class OneRedisContract extends KvStoreContract {
  /** The subclass's extension, registered on a static field. */
  abstract RedisExtension redis();

  @BeforeEach
  void flush() {
    redis().flushAll();
  }

  @Override
  protected StoreFixture fixture() {
    return redis().clusterUris().size() > 1 ? RedisStoreFixture.cluster(this::redis)
        : RedisStoreFixture.server(this::redis);
  }
}
