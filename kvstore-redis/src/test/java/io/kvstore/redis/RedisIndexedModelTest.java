package io.kvstore.redis;

import io.kvstore.Listing;
import io.kvstore.redis.testing.RedisExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The model-based properties on one real Redis server: each namespace is written under SCAN,
 * then opened as {@link Listing#INDEXED} and migrated with {@code reindex()} partway through
 * the sequence, with writes and deletes before and during the migration.
 */
class RedisIndexedModelTest extends RedisModelFixture {
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

  @Override
  protected Listing migratesTo() {
    return Listing.INDEXED;
  }
}
