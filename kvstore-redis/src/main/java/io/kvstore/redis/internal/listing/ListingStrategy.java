package io.kvstore.redis.internal.listing;

import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawWrite;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What varies with a namespace's {@link io.kvstore.Listing}: how its writes and deletes keep it
 * listable, and how a page is found. {@link ScanListing} walks the keyspace with {@code SCAN};
 * {@link IndexedListing} keeps a sorted-set index per partition. Reads do not vary: they are the
 * same {@code MGET}s on each strategy's key layout ({@link io.kvstore.redis.internal.protocol.RedisKeys#value}). A store holds one
 * instance of each, and the backend picks one per call from the namespace, in one place.
 */
public interface ListingStrategy {
  /**
   * Writes a batch in one round trip (plus the invalidation, for near-cached namespaces).
   *
   * @param call the call
   * @param ns the namespace
   * @param writes the writes
   * @return per write, whether it was applied
   */
  CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes);

  /**
   * Deletes a batch in one round trip (plus the invalidation, for near-cached namespaces).
   *
   * @param call the call
   * @param ns the namespace
   * @param keys the keys, without namespace
   * @return how many existed
   */
  CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns, List<String> keys);

  /**
   * One page of keys with their expirations.
   *
   * @param call the call
   * @param ns the namespace
   * @param request prefix, limit and cursor
   * @return the page
   */
  CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request);

  /**
   * One page of entries with their expirations.
   *
   * @param call the call
   * @param ns the namespace
   * @param request prefix, limit, cursor and sliding TTL
   * @return the page
   */
  CompletableFuture<RawPage<RawEntry>> listValues(BackendCall call, BackendNamespace ns,
      ListRequest request);

  /**
   * Builds the namespace's index, migrating keys written under SCAN.
   *
   * @param call the call
   * @param ns the namespace
   * @return how many keys the index holds
   * @throws io.kvstore.KvValidationException if the strategy has no index
   */
  CompletableFuture<Long> reindex(BackendCall call, BackendNamespace ns);
}
