package io.kvstore.spi;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stored value as read by a backend.
 *
 * @param bytes the stored bytes
 * @param expiration when the key expires; {@code null} if it does not, or if the read did not ask
 */
public record RawValue(byte[] bytes, @Nullable Instant expiration) {
  /**
   * Checks the components.
   *
   * @param bytes the stored bytes
   * @param expiration when the key expires; {@code null} if it does not, or if the read did not ask
   */
  public RawValue {
    Objects.requireNonNull(bytes, "bytes");
  }
}
