package io.kvstore.internal;

import io.kvstore.KvResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What one read verb of a namespace does between validation and shaping: keys in, one result
 * per key out. Composed once, when the namespace opens ({@link ReadPaths}), from links its
 * options choose; no link asks per call what the namespace is.
 *
 * @param <V> the value type
 */
interface ReadPath<V> {
  /**
   * Reads distinct keys. Each value is decoded on its own, so a bad one fails only its key
   * ({@link KvResult.Failed}); a store failure fails the returned future.
   *
   * @param op the caller's operation
   * @param keys distinct, validated keys, at least one
   * @return one result per key, in the order of {@code keys}
   */
  CompletableFuture<List<KvResult<V>>> read(Operation op, List<String> keys);
}
