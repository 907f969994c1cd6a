package io.kvstore.spi;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A listed key with its stored value.
 *
 * @param key the key, without namespace
 * @param bytes the stored bytes
 * @param expiration when it expires, {@code null} if it does not
 */
public record RawEntry(String key, byte[] bytes, @Nullable Instant expiration) {
  /**
   * Checks the components.
   *
   * @param key the key, without namespace
   * @param bytes the stored bytes
   * @param expiration when it expires, {@code null} if it does not
   */
  public RawEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(bytes, "bytes");
  }
}
