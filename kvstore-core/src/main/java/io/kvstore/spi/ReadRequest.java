package io.kvstore.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A batched read.
 *
 * @param keys distinct validated keys, without namespace
 * @param slide under a sliding TTL, the TTL each key read gets anew, atomically with the read;
 *     {@code null} to leave TTLs alone
 * @param withExpiration whether the backend must report each key's expiration
 */
public record ReadRequest(List<String> keys, @Nullable Duration slide, boolean withExpiration) {
  /**
   * Checks the components.
   *
   * @param keys distinct validated keys, without namespace
   * @param slide under a sliding TTL, the TTL each key read gets anew, atomically with the read;
   *     {@code null} to leave TTLs alone
   * @param withExpiration whether the backend must report each key's expiration
   */
  public ReadRequest {
    keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
  }
}
