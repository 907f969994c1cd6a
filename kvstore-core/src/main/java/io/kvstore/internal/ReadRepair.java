package io.kvstore.internal;

import io.kvstore.internal.codec.Upgrading;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.Expiry;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.RawSwap;
import io.kvstore.spi.RawValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes back values a read had to migrate, so later reads of the key take the fast path.
 *
 * <p><b>Never over a newer write.</b> The write is a compare-and-set in the store
 * ({@link KvBackend#compareAndSet}): it replaces the value only while the key still holds the
 * bytes this read saw (their SHA-1, the version {@code replace} compares too), and keeps the
 * key's TTL ({@code Expiry.KEEP}); being made by a read, it publishes no invalidation, since the
 * value it stores is the same value in its current shape. If another instance wrote in between, the
 * swap does nothing and the newer value stays; the read still answers the value it saw, migrated,
 * as any read that happened just before that write would. A swap that fails (or a store
 * without compare-and-set) is logged at debug and never fails the read.
 *
 * <p><b>Cost.</b> Nothing for values already at the current version (one look at their first
 * property); for a migrated value, one more encode and one compare-and-set, all swaps of a batch
 * in one round trip, once per key. The read hands on the migrated bytes, so the value is decoded
 * once more on the fast path rather than migrated twice.
 */
final class ReadRepair {
  private static final Logger LOG = LoggerFactory.getLogger(ReadRepair.class);

  private final Upgrading codec;
  private final KvBackend backend;
  private final BackendNamespace ns;
  private final int maxValueBytes;

  ReadRepair(Upgrading codec, KvBackend backend, BackendNamespace ns, int maxValueBytes) {
    this.codec = codec;
    this.backend = backend;
    this.ns = ns;
    this.maxValueBytes = maxValueBytes;
  }

  /**
   * The read-repair link around a store read: what it returns, with migrated values written back.
   *
   * @param read the store read
   * @return the read with repair
   */
  StoreRead around(StoreRead read) {
    return (call, keys) -> read.read(call, keys).thenCompose(raw -> repair(call, keys, raw));
  }

  /**
   * Swaps in the migrated form of every value of an older version.
   *
   * @param keys the keys read, in the order of {@code values}
   * @param values what the store returned; {@code null} for missing keys
   * @return the values to decode: migrated ones replaced by their current-version bytes
   */
  CompletableFuture<List<RawValue>> repair(BackendCall call, List<String> keys,
      List<RawValue> values) {
    List<RawSwap> swaps = new ArrayList<>();
    List<RawValue> served = null;
    for (int i = 0; i < values.size(); i++) {
      RawValue raw = values.get(i);
      if (raw == null || raw.bytes().length > maxValueBytes) {
        continue;
      }
      byte[] upgraded = codec.upgraded(raw.bytes());
      if (upgraded == null || upgraded.length > maxValueBytes) {
        continue;
      }
      if (served == null) {
        served = new ArrayList<>(values);
      }
      served.set(i, new RawValue(upgraded, raw.expiration()));
      swaps.add(RawSwap.replace(keys.get(i), RawSwap.digest(raw.bytes()), upgraded,
          Expiry.KEEP));
    }
    if (swaps.isEmpty()) {
      return CompletableFuture.completedFuture(values);
    }
    List<RawValue> result = served;
    return backend.compareAndSet(call, ns, swaps).handle((applied, error) -> {
      if (error != null) {
        LOG.debug("read-repair on namespace '{}' failed; values stay at their stored version",
            ns.name(), error);
      }
      return result;
    });
  }
}
