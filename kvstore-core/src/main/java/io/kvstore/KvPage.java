package io.kvstore;

import java.util.List;
import java.util.Objects;

/**
 * One page of listed keys.
 *
 * @param keys the keys of this page, at most the requested limit; in lexicographic (UTF-8 byte)
 *     order where the store's listing strategy gives an order
 * @param cursor pass to {@link ListOptions#cursor(String)} for the next page; {@code null} when
 *     {@code complete}
 * @param complete {@code true} when no key of the prefix follows this page
 */
public record KvPage(List<KvKey> keys, String cursor, boolean complete) {
  /**
   * Checks the components.
   *
   * @param keys the keys of this page, at most the requested limit; in lexicographic (UTF-8 byte)
   *     order where the store's listing strategy gives an order
   * @param cursor pass to {@link ListOptions#cursor(String)} for the next page; {@code null} when
   *     {@code complete}
   * @param complete {@code true} when no key of the prefix follows this page
   */
  public KvPage {
    keys = List.copyOf(keys);
    if (complete != (cursor == null)) {
      throw new IllegalArgumentException("an incomplete page needs a cursor, a complete one none");
    }
  }

  /**
   * Returns the key names of this page.
   *
   * @return the names, in page order
   */
  public List<String> names() {
    return keys.stream().map(KvKey::name).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KvPage p
        && keys.equals(p.keys)
        && Objects.equals(cursor, p.cursor)
        && complete == p.complete;
  }

  @Override
  public int hashCode() {
    return Objects.hash(keys, cursor, complete);
  }
}
