package io.kvstore;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of listed entries with their decoded values.
 *
 * @param entries the entries of this page, in listing order; keys that expired or were deleted
 *     between listing and fetching are left out
 * @param failures the keys of this page whose values could not be decoded, each with its error;
 *     they fail alone and do not stop the page
 * @param cursor pass to {@link ListOptions#cursor(String)} for the next page; empty when
 *     {@code complete}
 * @param complete {@code true} when no key of the prefix follows this page
 * @param <V> the value type
 */
public record KvValuePage<V>(
    List<KvEntry<V>> entries, Map<String, KvCodecException> failures, Optional<String> cursor,
    boolean complete) {
  /**
   * Checks the components.
   *
   * @param entries the entries of this page, in listing order; keys that expired or were deleted
   *     between listing and fetching are left out
   * @param failures the keys of this page whose values could not be decoded, each with its error;
   *     they fail alone and do not stop the page
   * @param cursor pass to {@link ListOptions#cursor(String)} for the next page; empty when
   *     {@code complete}
   * @param complete {@code true} when no key of the prefix follows this page
   */
  public KvValuePage {
    entries = List.copyOf(entries);
    failures = Map.copyOf(failures);
    Objects.requireNonNull(cursor, "cursor");
    if (complete != cursor.isEmpty()) {
      throw new IllegalArgumentException("an incomplete page needs a cursor, a complete one none");
    }
  }

  /**
   * Returns the decoded values of this page.
   *
   * @return the values, in listing order
   */
  public List<V> values() {
    return entries.stream().map(KvEntry::value).toList();
  }
}
