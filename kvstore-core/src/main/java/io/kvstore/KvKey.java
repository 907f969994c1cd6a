package io.kvstore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A listed key and when it expires.
 *
 * @param name the key, without the namespace
 * @param expiration when the key expires, or empty if it does not
 */
public record KvKey(String name, Optional<Instant> expiration) {
  /**
   * Checks the components.
   *
   * @param name the key, without the namespace
   * @param expiration when the key expires, or empty if it does not
   */
  public KvKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(expiration, "expiration");
  }
}
