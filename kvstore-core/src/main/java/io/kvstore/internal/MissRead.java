package io.kvstore.internal;

import io.kvstore.spi.RawValue;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How one verb of a namespace reads what it must fetch from the store: a {@link StoreRead}
 * of its own, or, for {@code get} on a coalescing namespace, a seat in the next shared batch.
 */
@FunctionalInterface
interface MissRead {
  /**
   * Reads keys for one caller.
   *
   * @param op the caller's operation
   * @param keys distinct, validated keys
   * @return one value per key, in order; {@code null} for a missing key
   */
  CompletableFuture<List<RawValue>> read(Operation op, List<String> keys);
}
