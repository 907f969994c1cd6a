package io.kvstore.redis;

import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.testkit.KvStoreContract;
import io.kvstore.testkit.RedisExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract suite on a real Redis with a near cache on every namespace. */
class RedisNearCachedContractTest extends KvStoreContract {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  @Override
  protected KvStore openStore() {
    REDIS.flushAll();
    return RedisKvStore.connect(REDIS.uri());
  }

  /** Every namespace but the sliding-TTL one, which a near cache cannot serve (rejected). */
  @Override
  protected <V> NamespaceOptions.Builder<V> configure(NamespaceOptions.Builder<V> builder) {
    return builder.build().ttl().kind() == TtlPolicy.Kind.SLIDING ? builder
        : builder.nearCache(NearCacheOptions.builder().build());
  }

  @Override
  protected boolean listsInOrder() {
    return false;
  }
}
