package io.kvstore.spi;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A listed key.
 *
 * @param key the key, without namespace
 * @param expiration when it expires, {@code null} if it does not
 */
public record RawKey(String key, @Nullable Instant expiration) {
  /**
   * Checks the components.
   *
   * @param key the key, without namespace
   * @param expiration when it expires, {@code null} if it does not
   */
  public RawKey {
    Objects.requireNonNull(key, "key");
  }
}
