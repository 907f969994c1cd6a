package io.kvstore.redis;

import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.testkit.KvStoreContract;
import io.kvstore.testkit.RedisExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract suite against a real single Redis server, every namespace indexed: listing is in
 * lexicographic order, so {@link #listsInOrder()} keeps its default.
 */
class RedisIndexedContractTest extends KvStoreContract {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  @Override
  protected KvStore openStore() {
    REDIS.flushAll();
    return new ListingOverride(RedisKvStore.connect(REDIS.uri()), Listing.INDEXED);
  }
}
