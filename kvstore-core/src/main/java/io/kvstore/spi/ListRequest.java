package io.kvstore.spi;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One page of a prefix listing.
 *
 * <p>The token comes back from callers inside a cursor, and applications hand cursors to
 * untrusted clients; unless the store has a secret cursor key, anyone can make one. A backend
 * must treat the token as attacker input: check that every key it names belongs to the namespace
 * and the prefix, and bound any work it asks for, before anything is read or touched, and throw
 * {@link io.kvstore.KvValidationException} (from the call, nothing sent) when it does not hold.
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
