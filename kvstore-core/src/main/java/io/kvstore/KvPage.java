package io.kvstore;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of listed keys.
 *
 * @param keys the keys of this page, at most the requested limit; in lexicographic (UTF-8 byte)
 *     order where the store's listing strategy gives an order
 * @param cursor pass to {@link ListOptions#cursor(String)} for the next page; empty when
 *     {@code complete}
 * @param complete {@code true} when no key of the prefix follows this page
 */
public record KvPage(List<KvKey> keys, Optional<String> cursor, boolean complete) {
  /**
   * Checks the components.
   *
   * @param keys the keys of this page, at most the requested limit; in lexicographic (UTF-8 byte)
   *     order where the store's listing strategy gives an order
   * @param cursor pass to {@link ListOptions#cursor(String)} for the next page; empty when
   *     {@code complete}
   * @param complete {@code true} when no key of the prefix follows this page
   */
  public KvPage {
    keys = List.copyOf(keys);
    Objects.requireNonNull(cursor, "cursor");
    if (complete != cursor.isEmpty()) {
      throw new IllegalArgumentException("an incomplete page needs a cursor, a complete one none");
    }
  }

  /**
   * Returns the keys of this page as strings, without their expirations.
   *
   * @return the keys, in page order
   */
  public List<String> names() {
    return keys.stream().map(KvKey::key).toList();
  }
}
