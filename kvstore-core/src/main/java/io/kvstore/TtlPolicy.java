package io.kvstore;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How long a written key lives. Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@link #none()}: the key never expires;
 *   <li>{@link #fixed(Duration)}: the key expires a fixed time after each write;
 *   <li>{@link #sliding(Duration)}: like fixed, and every read through a namespace with this
 *       policy extends it again (in Redis, {@code GETEX} in the same round trip as the read);
 *   <li>{@link #at(Instant)}: the key expires at one instant.
 * </ul>
 *
 * <p>{@link #withJitter(double)} spreads the expiries of keys written together so that they do
 * not all expire (and get re-fetched) in the same second: each write draws its TTL uniformly from
 * {@code [ttl * (1 - jitter), ttl]}, so a key never outlives its configured TTL.
 */
public final class TtlPolicy {
  /** The shortest TTL accepted: stores count expiry in milliseconds. */
  public static final Duration MIN_TTL = Duration.ofMillis(1);

  /** The longest TTL accepted (100 years); anything longer is almost surely a unit mistake. */
  public static final Duration MAX_TTL = Duration.ofDays(36_500);

  private static final TtlPolicy NONE = new TtlPolicy(Kind.NONE, null, null, 0);

  /** The shape of a policy. */
  public enum Kind {
    /** Keys never expire. */
    NONE,
    /** Keys expire a fixed time after each write. */
    FIXED,
    /** Keys expire a fixed time after each write or read. */
    SLIDING,
    /** Keys expire at one instant. */
    AT
  }

  private final Kind kind;
  private final Duration ttl;
  private final Instant at;
  private final double jitter;

  private TtlPolicy(Kind kind, Duration ttl, Instant at, double jitter) {
    this.kind = kind;
    this.ttl = ttl;
    this.at = at;
    this.jitter = jitter;
  }

  /**
   * Returns the policy under which keys never expire.
   *
   * @return the no-expiry policy
   */
  public static TtlPolicy none() {
    return NONE;
  }

  /**
   * Returns a policy under which each key expires {@code ttl} after it was written.
   *
   * @param ttl time to live, between {@link #MIN_TTL} and {@link #MAX_TTL}
   * @return the policy
   * @throws KvValidationException if {@code ttl} is null, zero, negative or too long
   */
  public static TtlPolicy fixed(Duration ttl) {
    return new TtlPolicy(Kind.FIXED, checkTtl(ttl), null, 0);
  }

  /**
   * Returns a policy under which each key expires {@code ttl} after it was last written or read.
   *
   * @param ttl time to live after each access, between {@link #MIN_TTL} and {@link #MAX_TTL}
   * @return the policy
   * @throws KvValidationException if {@code ttl} is null, zero, negative or too long
   */
  public static TtlPolicy sliding(Duration ttl) {
    return new TtlPolicy(Kind.SLIDING, checkTtl(ttl), null, 0);
  }

  /**
   * Returns a policy under which keys expire at {@code instant}. A write after that instant fails
   * with {@link KvValidationException} rather than storing an already expired key, and so does a
   * write more than {@link #MAX_TTL} before it (the bound every TTL keeps), thrown from the call
   * before anything is sent.
   *
   * @param instant when keys expire
   * @return the policy
   * @throws KvValidationException if {@code instant} is null
   */
  public static TtlPolicy at(Instant instant) {
    if (instant == null) {
      throw new KvValidationException("ttl", "ttl instant must not be null");
    }
    return new TtlPolicy(Kind.AT, null, instant, 0);
  }

  /**
   * Returns a copy of this policy whose writes shorten the TTL by a random fraction of up to
   * {@code jitter}.
   *
   * @param jitter the largest fraction to take off, in {@code [0, 1)}; 0.1 spreads expiries over
   *     the last 10% of the TTL
   * @return the jittered policy
   * @throws KvValidationException if {@code jitter} is outside {@code [0, 1)}, or this policy is
   *     {@code none()} or {@code at(...)}, which have no duration to spread
   */
  public TtlPolicy withJitter(double jitter) {
    if (!(jitter >= 0 && jitter < 1)) {
      throw new KvValidationException("jitter", "jitter is " + jitter + "; it must be in [0, 1)");
    }
    if (kind == Kind.NONE || kind == Kind.AT) {
      throw new KvValidationException(
          "jitter", "jitter applies to fixed and sliding TTLs, not to " + this);
    }
    return new TtlPolicy(kind, ttl, null, jitter);
  }

  /**
   * Returns the shape of this policy.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the time to live of a fixed or sliding policy.
   *
   * @return the TTL, or empty for {@code none()} and {@code at(...)}
   */
  public Optional<Duration> ttl() {
    return Optional.ofNullable(ttl);
  }

  /**
   * Returns the expiry instant of an {@code at(...)} policy.
   *
   * @return the instant, or empty for the other kinds
   */
  public Optional<Instant> instant() {
    return Optional.ofNullable(at);
  }

  /**
   * Returns the jitter fraction.
   *
   * @return the fraction in {@code [0, 1)}, 0 when none was set
   */
  public double jitter() {
    return jitter;
  }

  static Duration checkTtl(Duration ttl) {
    if (ttl == null) {
      throw new KvValidationException("ttl", "ttl must not be null");
    }
    if (ttl.isZero() || ttl.isNegative()) {
      throw new KvValidationException("ttl", "ttl is " + ttl + "; it must be positive");
    }
    if (ttl.compareTo(MIN_TTL) < 0) {
      throw new KvValidationException(
          "ttl", "ttl is " + ttl + "; it must be at least " + MIN_TTL.toMillis() + " ms");
    }
    if (ttl.compareTo(MAX_TTL) > 0) {
      throw new KvValidationException(
          "ttl", "ttl is " + ttl + "; it must be at most " + MAX_TTL.toDays() + " days");
    }
    return ttl;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TtlPolicy p
        && kind == p.kind
        && Objects.equals(ttl, p.ttl)
        && Objects.equals(at, p.at)
        && jitter == p.jitter;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, ttl, at, jitter);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "TtlPolicy.none()";
      case AT -> "TtlPolicy.at(" + at + ")";
      default -> "TtlPolicy." + kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + ttl + ")"
          + (jitter > 0 ? ".withJitter(" + jitter + ")" : "");
    };
  }
}
