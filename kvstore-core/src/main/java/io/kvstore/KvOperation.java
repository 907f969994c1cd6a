package io.kvstore;

/** The logical operations a namespace performs, as reported to {@link KvListener}s. */
public enum KvOperation {
  /** {@code get} of one key. */
  GET,
  /** {@code getAll} or {@code getAllResults}. */
  GET_ALL,
  /** {@code put} of one key. */
  PUT,
  /** {@code putAll}. */
  PUT_ALL,
  /** {@code delete} of one key. */
  DELETE,
  /** {@code deleteAll}. */
  DELETE_ALL,
  /** {@code list}: one page of keys. */
  LIST,
  /** {@code listValues}: one page of keys with values. */
  LIST_VALUES,
  /** A store-level health check. */
  PING,
  /** {@code reindex}: rebuilding a namespace's listing index. */
  REINDEX,
  /** {@code getVersioned}: one key with its version. */
  GET_VERSIONED,
  /** {@code replace}: a write conditional on the key's version. */
  REPLACE,
  /** {@code deleteIf}: a delete conditional on the key's version. */
  DELETE_IF,
  /** {@code update}: read, apply a function, write conditionally, retried on conflict. */
  UPDATE,
  /** {@code increment}: a counter changed by a delta, atomically. */
  INCREMENT;

  /**
   * Returns whether the operation only reads: {@code get}, {@code getAll}, {@code getVersioned},
   * {@code list}, {@code listValues} (a read may still write back a migrated value, read repair,
   * or extend a sliding TTL).
   *
   * @return {@code true} for reads
   */
  public boolean isRead() {
    return switch (this) {
      case GET, GET_ALL, GET_VERSIONED, LIST, LIST_VALUES -> true;
      default -> false;
    };
  }

  /**
   * Returns the name of the method that performs this operation, such as {@code getAll}: what
   * logs and metrics show.
   *
   * @return the method name
   */
  public String methodName() {
    String[] words = name().toLowerCase(java.util.Locale.ROOT).split("_");
    StringBuilder b = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i], 1, words[i].length());
    }
    return b.toString();
  }
}
