package io.kvstore;

/**
 * What a namespace's {@code get} does with a stored value that cannot be decoded (malformed,
 * of a newer schema version than the reader knows, or failed by a migration). Either way the
 * failure is counted ({@link KvStats#decodeFailures()}, {@link KvEvent#decodeFailures()}) and never
 * kept in the near cache, so the next read tries the store again. {@code getAll} leaves the key out
 * and {@code getAllResults} and listings report it as {@link KvResult.Failed} (or in
 * {@link KvValuePage#failures()}) under both policies.
 */
public enum DecodeFailure {
  /** {@code get} fails with the {@link KvCodecException} (the default). */
  FAIL,

  /**
   * {@code get} answers empty, as for a missing key, so a cache-aside caller refills the key with
   * a value it can read. The key stays in the store until overwritten.
   */
  MISS
}
