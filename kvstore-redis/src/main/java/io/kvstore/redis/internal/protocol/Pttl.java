package io.kvstore.redis.internal.protocol;

import java.time.Instant;

/**
 * A {@code PTTL} reply, interpreted in one place. Redis answers {@value #NO_EXPIRY} for a key
 * without an expiry, {@value #MISSING} for a missing key, and otherwise the milliseconds left,
 * 0 included: a key at 0 still exists and expires within the millisecond. The adapter's scripts
 * answer in the same words ({@code read-with-ttl.lua} gives {@value #MISSING} for a value it
 * could not read). Thread-safe (stateless).
 */
public final class Pttl {
  /** The reply for a key that exists and never expires. */
  public static final long NO_EXPIRY = -1;

  /** The reply for a key that does not exist. */
  public static final long MISSING = -2;

  private Pttl() {}

  /**
   * Whether the key existed when its PTTL was read. Every negative reply but {@value #NO_EXPIRY}
   * counts as gone, so an unexpected reply never keeps a value alive.
   *
   * @param pttl the reply
   * @return whether the key existed
   */
  public static boolean exists(long pttl) {
    return pttl >= 0 || pttl == NO_EXPIRY;
  }

  /**
   * The instant the key expires.
   *
   * @param pttl the reply
   * @param now when the PTTL was read
   * @return {@code now + pttl}, or {@code null} if the key never expires or is gone
   */
  public static Instant expiration(long pttl, Instant now) {
    return pttl >= 0 ? now.plusMillis(pttl) : null;
  }

  /**
   * Whether a copy of the key can carry its remaining time to live: it never expires, or it has
   * at least one millisecond left. A key at 0 is left alone: {@code SET ... PX 0} is refused,
   * and a copy written without an expiry would outlive the key.
   *
   * @param pttl the reply
   * @return whether the key can be copied with its expiry
   */
  public static boolean copyable(long pttl) {
    return pttl > 0 || pttl == NO_EXPIRY;
  }
}
