package io.kvstore;

/**
 * The outcome of a conditional write ({@link KvNamespace#replace}, {@link KvNamespace#deleteIf}):
 * callers switch on it and never parse errors.
 */
public enum KvSwap {
  /** The key held the expected version (or was absent, as expected): the write was applied. */
  APPLIED,
  /** The key holds another value (or exists where it was expected absent): nothing written. */
  CHANGED,
  /** The key does not exist (deleted or expired): nothing written. */
  MISSING
}
