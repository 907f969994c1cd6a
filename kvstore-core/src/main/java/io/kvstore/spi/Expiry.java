package io.kvstore.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The expiry a backend applies to one write, resolved by core from the TTL policy (jitter already
 * applied).
 */
public sealed interface Expiry {
  /** No expiry: the key lives until deleted. */
  Expiry NONE = new Never();

  /** Keep the existing key's expiry; a new key gets none. */
  Expiry KEEP = new Keep();

  /**
   * Returns an expiry relative to the moment the store applies the write.
   *
   * @param ttl the time to live, positive
   * @return the expiry
   */
  static Expiry after(Duration ttl) {
    return new After(ttl);
  }

  /**
   * Returns an absolute expiry.
   *
   * @param instant when the key expires
   * @return the expiry
   */
  static Expiry at(Instant instant) {
    return new At(instant);
  }

  /** The key never expires. */
  record Never() implements Expiry {}

  /** The key keeps its current expiry. */
  record Keep() implements Expiry {}

  /**
   * The key expires {@code ttl} after the write.
   *
   * @param ttl time to live
   */
  record After(Duration ttl) implements Expiry {
    /**
     * Checks the components.
     *
     * @param ttl time to live
     */
    public After {
      Objects.requireNonNull(ttl, "ttl");
    }
  }

  /**
   * The key expires at {@code instant}.
   *
   * @param instant the expiry instant
   */
  record At(Instant instant) implements Expiry {
    /**
     * Checks the components.
     *
     * @param instant the expiry instant
     */
    public At {
      Objects.requireNonNull(instant, "instant");
    }
  }
}
