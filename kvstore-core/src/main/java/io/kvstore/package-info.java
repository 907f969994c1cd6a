/**
 * kvstore: typed key-value access that is fast by construction.
 *
 * <p>Start at {@link io.kvstore.KvStores} (embedded store) or {@code io.kvstore.redis.RedisKvStore}
 * (production), open a {@link io.kvstore.KvNamespace} with {@link io.kvstore.NamespaceOptions}, and
 * read many keys with {@link io.kvstore.KvNamespace#getAll} or
 * {@link io.kvstore.KvNamespace#listValues}: one round trip per batch, never one per key.
 */
package io.kvstore;
