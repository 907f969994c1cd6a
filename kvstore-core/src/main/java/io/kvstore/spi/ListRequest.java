package io.kvstore.spi;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One page of a prefix listing.
 *
 * @param prefix the validated literal prefix, possibly empty
 * @param limit the most items to return, 1 to 1000
 * @param token the backend's resume token from the previous page, or {@code null} to start
 * @param slide for value listings under a sliding TTL, the TTL each key read gets anew; else
 *     {@code null}
 */
public record ListRequest(
    String prefix, int limit, @Nullable String token, @Nullable Duration slide) {
  /**
   * Checks the components.
   *
   * @param prefix the validated literal prefix, possibly empty
   * @param limit the most items to return, 1 to 1000
   * @param token the backend's resume token from the previous page, or {@code null} to start
   * @param slide for value listings under a sliding TTL, the TTL each key read gets anew; else
   *     {@code null}
   */
  public ListRequest {
    Objects.requireNonNull(prefix, "prefix");
  }
}
