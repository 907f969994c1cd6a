package io.kvstore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A key, its decoded value and when it expires.
 *
 * @param key the key, without the namespace
 * @param value the decoded value
 * @param expiration when the key expires, or empty if it does not
 * @param <V> the value type
 */
public record KvEntry<V>(String key, V value, Optional<Instant> expiration) {
  /**
   * Checks the components.
   *
   * @param key the key, without the namespace
   * @param value the decoded value
   * @param expiration when the key expires, or empty if it does not
   */
  public KvEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiration, "expiration");
  }

  @Override
  public String toString() {
    // Values may hold personal data: never print them.
    return "KvEntry[key=" + key + ", value=<" + value.getClass().getSimpleName() + ">]";
  }
}
