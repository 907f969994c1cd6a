package io.kvstore.redis;

import io.kvstore.Listing;

/**
 * The model-based properties on one real Redis server: each namespace is written under SCAN, then
 * opened as {@link Listing#INDEXED} and migrated with {@code reindex()} partway through the
 * sequence, with writes and deletes before and during the migration.
 */
class RedisIndexedModelTest extends RedisModelFixture {
  RedisIndexedModelTest() {
    super(false, Listing.INDEXED);
  }
}
