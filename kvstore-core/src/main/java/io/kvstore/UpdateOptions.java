package io.kvstore;

import java.time.Duration;

/**
 * How {@link KvNamespace#update} retries when another writer changed the value between its read
 * and its conditional write: at most {@link #maxAttempts()} attempts, waiting a random time
 * between 0 and {@code min(backoffMax, backoffBase x 2^(attempt - 1))} before each retry ("full
 * jitter"), so that contending writers spread out instead of colliding again. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * ns.update(key, fn, UpdateOptions.builder().maxAttempts(20).build());
 * }</pre>
 */
public final class UpdateOptions {
  /** Attempts before {@link KvConflictException}: 10. */
  public static final int DEFAULT_MAX_ATTEMPTS = 10;

  /** The backoff before the first retry is at most this: 2 ms. */
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(2);

  /** No backoff is longer than this: 100 ms. */
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMillis(100);

  /** Whether an update keeps the key's expiry instead of applying the TTL policy: no. */
  public static final boolean DEFAULT_KEEP_TTL = false;

  private static final UpdateOptions DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration backoffBase;
  private final Duration backoffMax;
  private final boolean keepTtl;

  private UpdateOptions(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.backoffBase = b.backoffBase;
    this.backoffMax = b.backoffMax;
    this.keepTtl = b.keepTtl;
  }

  /**
   * Returns the defaults: {@value #DEFAULT_MAX_ATTEMPTS} attempts, backoff from 2 ms to 100 ms.
   *
   * @return the default options
   */
  public static UpdateOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding these options, to derive others.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder().maxAttempts(maxAttempts).backoff(backoffBase, backoffMax)
        .keepTtl(keepTtl);
  }

  /**
   * Returns how many read-and-write attempts an update makes before it fails.
   *
   * @return at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns the bound of the backoff before the first retry; it doubles with each retry.
   *
   * @return zero or positive
   */
  public Duration backoffBase() {
    return backoffBase;
  }

  /**
   * Returns the bound no backoff exceeds.
   *
   * @return at least {@link #backoffBase()}
   */
  public Duration backoffMax() {
    return backoffMax;
  }

  /**
   * Returns whether a write of an existing key keeps its expiry (as {@code PutOptions.keepTtl()})
   * instead of applying the namespace's TTL policy; a key the update creates gets the policy's.
   *
   * @return {@code true} to keep the expiry
   */
  public boolean keepTtl() {
    return keepTtl;
  }

  @Override
  public String toString() {
    return "UpdateOptions[maxAttempts=" + maxAttempts + ", backoffBase=" + backoffBase
        + ", backoffMax=" + backoffMax + ", keepTtl=" + keepTtl + "]";
  }

  /** Builds {@link UpdateOptions}; validates each setting as it is given. Not thread-safe. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration backoffBase = DEFAULT_BACKOFF_BASE;
    private Duration backoffMax = DEFAULT_BACKOFF_MAX;
    private boolean keepTtl = DEFAULT_KEEP_TTL;

    private Builder() {}

    /**
     * Sets whether a write of an existing key keeps its expiry instead of applying the
     * namespace's TTL policy (a key the update creates gets the policy's either way): a record
     * whose lifetime was set once, such as a daily summary, keeps it through its updates.
     *
     * @param keepTtl {@code true} to keep the expiry
     * @return this builder
     */
    public Builder keepTtl(boolean keepTtl) {
      this.keepTtl = keepTtl;
      return this;
    }

    /**
     * Sets how many attempts an update makes before it fails with {@link KvConflictException}.
     *
     * @param maxAttempts 1 to 1000
     * @return this builder
     * @throws KvValidationException if out of range
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 1000) {
        throw new KvValidationException("maxAttempts", "maxAttempts is " + maxAttempts
            + "; it must be between 1 and 1000");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the jittered backoff between attempts: a random wait up to
     * {@code min(max, base x 2^(retry - 1))}. {@code Duration.ZERO} for both retries at once.
     *
     * @param base the bound before the first retry, zero or positive
     * @param max the bound of every wait, at least {@code base}, at most one minute
     * @return this builder
     * @throws KvValidationException if a bound is null, negative, or {@code max < base}
     */
    public Builder backoff(Duration base, Duration max) {
      if (base == null || max == null || base.isNegative() || max.compareTo(base) < 0
          || max.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new KvValidationException("backoff", "backoff is (" + base + ", " + max
            + "); both bounds must be zero or positive, base at most max, max at most 1 minute");
      }
      this.backoffBase = base;
      this.backoffMax = max;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public UpdateOptions build() {
      return new UpdateOptions(this);
    }
  }
}
