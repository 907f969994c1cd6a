package io.kvstore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A listed key and when it expires.
 *
 * @param key the key, without the namespace
 * @param expiration when the key expires, or empty if it does not
 */
public record KvKey(String key, Optional<Instant> expiration) {
  /**
   * Checks the components.
   *
   * @param key the key, without the namespace
   * @param expiration when the key expires, or empty if it does not
   */
  public KvKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(expiration, "expiration");
  }
}
