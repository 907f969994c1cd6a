package io.kvstore;

/**
 * Cumulative counters of one store since it was opened. Immutable and thread-safe.
 *
 * <p>Not a record on purpose: counters are added over time, and a record's constructor would break
 * every caller each time. Build one with {@link #builder()}, compare two with {@link #minus}:
 *
 * <pre>{@code
 * KvStats before = store.stats();
 * service.completedWorkouts("user-42");
 * long trips = store.stats().minus(before).roundTrips();
 * }</pre>
 */
public final class KvStats {
  private static final KvStats EMPTY = builder().build();

  private final long operations;
  private final long roundTrips;
  private final long keysRead;
  private final long errors;
  private final long nearCacheHits;
  private final long nearCacheMisses;
  private final long nearCacheLoads;
  private final long nearCacheEvictions;
  private final long invalidationsReceived;
  private final long decodeFailures;

  private KvStats(Builder b) {
    operations = b.operations;
    roundTrips = b.roundTrips;
    keysRead = b.keysRead;
    errors = b.errors;
    nearCacheHits = b.nearCacheHits;
    nearCacheMisses = b.nearCacheMisses;
    nearCacheLoads = b.nearCacheLoads;
    nearCacheEvictions = b.nearCacheEvictions;
    invalidationsReceived = b.invalidationsReceived;
    decodeFailures = b.decodeFailures;
  }

  /**
   * Returns stats with every counter at zero, what a store reports before its first operation.
   *
   * @return the empty stats
   */
  public static KvStats empty() {
    return EMPTY;
  }

  /**
   * Starts stats with every counter at zero.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding these counters.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return builder().operations(operations).roundTrips(roundTrips).keysRead(keysRead)
        .errors(errors).nearCacheHits(nearCacheHits).nearCacheMisses(nearCacheMisses)
        .nearCacheLoads(nearCacheLoads).nearCacheEvictions(nearCacheEvictions)
        .invalidationsReceived(invalidationsReceived).decodeFailures(decodeFailures);
  }

  /**
   * Returns what happened between an earlier reading of the same store and this one.
   *
   * @param earlier stats the same store reported before these
   * @return each counter minus the earlier one
   * @throws KvValidationException if {@code earlier} is null
   */
  public KvStats minus(KvStats earlier) {
    if (earlier == null) {
      throw new KvValidationException("earlier", "earlier must not be null");
    }
    return builder().operations(operations - earlier.operations)
        .roundTrips(roundTrips - earlier.roundTrips)
        .keysRead(keysRead - earlier.keysRead)
        .errors(errors - earlier.errors)
        .nearCacheHits(nearCacheHits - earlier.nearCacheHits)
        .nearCacheMisses(nearCacheMisses - earlier.nearCacheMisses)
        .nearCacheLoads(nearCacheLoads - earlier.nearCacheLoads)
        .nearCacheEvictions(nearCacheEvictions - earlier.nearCacheEvictions)
        .invalidationsReceived(invalidationsReceived - earlier.invalidationsReceived)
        .decodeFailures(decodeFailures - earlier.decodeFailures)
        .build();
  }

  /**
   * Returns the logical operations completed (a {@code getAll} of 64 keys is one).
   *
   * @return the count
   */
  public long operations() {
    return operations;
  }

  /**
   * Returns the network round trips waited for.
   *
   * @return the count
   */
  public long roundTrips() {
    return roundTrips;
  }

  /**
   * Returns the keys requested by reads and listings.
   *
   * @return the count
   */
  public long keysRead() {
    return keysRead;
  }

  /**
   * Returns the operations that failed.
   *
   * @return the count
   */
  public long errors() {
    return errors;
  }

  /**
   * Returns the reads answered by a near cache (0 without one).
   *
   * @return the count
   */
  public long nearCacheHits() {
    return nearCacheHits;
  }

  /**
   * Returns the reads a near cache had to fetch (0 without one).
   *
   * @return the count
   */
  public long nearCacheMisses() {
    return nearCacheMisses;
  }

  /**
   * Returns the batched fetches near caches made for their misses.
   *
   * @return the count
   */
  public long nearCacheLoads() {
    return nearCacheLoads;
  }

  /**
   * Returns the entries near caches dropped for size or age.
   *
   * @return the count
   */
  public long nearCacheEvictions() {
    return nearCacheEvictions;
  }

  /**
   * Returns the keys other instances reported written, dropped from near caches; a key is
   * counted once it is dropped.
   *
   * @return the count
   */
  public long invalidationsReceived() {
    return invalidationsReceived;
  }

  /**
   * Returns the stored values reads could not decode (malformed, of an unknown schema version, or
   * failed by a migration), whatever the namespace's {@link DecodeFailure} policy.
   *
   * @return the count
   */
  public long decodeFailures() {
    return decodeFailures;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KvStats s
        && operations == s.operations && roundTrips == s.roundTrips && keysRead == s.keysRead
        && errors == s.errors && nearCacheHits == s.nearCacheHits
        && nearCacheMisses == s.nearCacheMisses && nearCacheLoads == s.nearCacheLoads
        && nearCacheEvictions == s.nearCacheEvictions
        && invalidationsReceived == s.invalidationsReceived
        && decodeFailures == s.decodeFailures;
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(new long[] {operations, roundTrips, keysRead, errors,
        nearCacheHits, nearCacheMisses, nearCacheLoads, nearCacheEvictions,
        invalidationsReceived, decodeFailures});
  }

  @Override
  public String toString() {
    return "KvStats[operations=" + operations + ", roundTrips=" + roundTrips
        + ", keysRead=" + keysRead + ", errors=" + errors
        + ", nearCacheHits=" + nearCacheHits + ", nearCacheMisses=" + nearCacheMisses
        + ", nearCacheLoads=" + nearCacheLoads + ", nearCacheEvictions=" + nearCacheEvictions
        + ", invalidationsReceived=" + invalidationsReceived
        + ", decodeFailures=" + decodeFailures + "]";
  }

  /** Sets counters of a {@link KvStats}; for stores and for tests. Not thread-safe. */
  public static final class Builder {
    private long operations;
    private long roundTrips;
    private long keysRead;
    private long errors;
    private long nearCacheHits;
    private long nearCacheMisses;
    private long nearCacheLoads;
    private long nearCacheEvictions;
    private long invalidationsReceived;
    private long decodeFailures;

    private Builder() {}

    /**
     * Sets {@link KvStats#operations()}.
     *
     * @param count the count
     * @return this builder
     */
    public Builder operations(long count) {
      operations = count;
      return this;
    }

    /**
     * Sets {@link KvStats#roundTrips()}.
     *
     * @param count the count
     * @return this builder
     */
    public Builder roundTrips(long count) {
      roundTrips = count;
      return this;
    }

    /**
     * Sets {@link KvStats#keysRead()}.
     *
     * @param count the count
     * @return this builder
     */
    public Builder keysRead(long count) {
      keysRead = count;
      return this;
    }

    /**
     * Sets {@link KvStats#errors()}.
     *
     * @param count the count
     * @return this builder
     */
    public Builder errors(long count) {
      errors = count;
      return this;
    }

    /**
     * Sets {@link KvStats#nearCacheHits()}.
     *
     * @param count the count
     * @return this builder
     */
    public Builder nearCacheHits(long count) {
      nearCacheHits = count;
      return this;
    }

    /**
     * Sets {@link KvStats#nearCacheMisses()}.
     *
     * @param count the count
     * @return this builder
     */
    public Builder nearCacheMisses(long count) {
      nearCacheMisses = count;
      return this;
    }

    /**
     * Sets {@link KvStats#nearCacheLoads()}.
     *
     * @param count the count
     * @return this builder
     */
    public Builder nearCacheLoads(long count) {
      nearCacheLoads = count;
      return this;
    }

    /**
     * Sets {@link KvStats#nearCacheEvictions()}.
     *
     * @param count the count
     * @return this builder
     */
    public Builder nearCacheEvictions(long count) {
      nearCacheEvictions = count;
      return this;
    }

    /**
     * Sets {@link KvStats#invalidationsReceived()}.
     *
     * @param count the count
     * @return this builder
     */
    public Builder invalidationsReceived(long count) {
      invalidationsReceived = count;
      return this;
    }

    /**
     * Sets {@link KvStats#decodeFailures()}.
     *
     * @param count the count
     * @return this builder
     */
    public Builder decodeFailures(long count) {
      decodeFailures = count;
      return this;
    }

    /**
     * Builds the stats.
     *
     * @return the stats
     */
    public KvStats build() {
      return new KvStats(this);
    }
  }
}
