package io.kvstore.spi;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page a backend listed.
 *
 * @param items the keys or entries of the page, at most the requested limit
 * @param next the backend's own token to resume after this page, or {@code null} when no key of
 *     the prefix follows; core wraps it into an opaque, checked cursor
 * @param <T> {@link RawKey} or {@link RawEntry}
 */
public record RawPage<T>(List<T> items, @Nullable String next) {
  /**
   * Checks the components.
   *
   * @param items the keys or entries of the page, at most the requested limit
   * @param next the backend's own token to resume after this page, or {@code null} when no key of
   *     the prefix follows; core wraps it into an opaque, checked cursor
   */
  public RawPage {
    items = List.copyOf(items);
  }
}
