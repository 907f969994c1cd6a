package io.kvstore.sqlite;

import io.kvstore.KvValidationException;
import io.kvstore.StoreOptions;
import io.kvstore.spi.OptionChecks;
import java.time.Duration;

/**
 * Options of the durable embedded store. Immutable and thread-safe.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code durability}</td><td>{@link Durability#PROCESS_CRASH}: every acknowledged
 *       write survives a crash of the process; a power loss may roll back the last moments</td></tr>
 *   <tr><td>{@code readers}</td><td>{@value #DEFAULT_READERS} reader connections, each on a
 *       thread of its own</td></tr>
 *   <tr><td>{@code busyTimeout}</td><td>5 s ({@link #DEFAULT_BUSY_TIMEOUT}): how long a
 *       statement waits for a lock held by another connection before failing</td></tr>
 *   <tr><td>{@code sweepInterval}</td><td>1 min ({@link #DEFAULT_SWEEP_INTERVAL}): how often
 *       expired entries are deleted in the background</td></tr>
 *   <tr><td>{@code clock}, {@code observability}, {@code decoding}, {@code coalesceGets}</td>
 *       <td>as in {@link StoreOptions}</td></tr>
 * </table>
 *
 * <pre>{@code
 * KvStore store = SqliteKvStore.open(Path.of("data"), SqliteOptions.builder()
 *     .durability(Durability.POWER_LOSS)
 *     .build());
 * }</pre>
 */
public final class SqliteOptions extends StoreOptions {
  /** Reader connections unless {@code readers} is set. */
  public static final int DEFAULT_READERS = 4;

  /** How long a statement waits for a lock unless {@code busyTimeout} is set. */
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

  /** How often expired entries are swept unless {@code sweepInterval} is set. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(1);

  private static final SqliteOptions DEFAULTS = builder().build();

  private final Durability durability;
  private final int readers;
  private final Duration busyTimeout;
  private final Duration sweepInterval;

  private SqliteOptions(Builder b) {
    super(b);
    this.durability = b.durability;
    this.readers = b.readers;
    this.busyTimeout = b.busyTimeout;
    this.sweepInterval = b.sweepInterval;
  }

  /**
   * Returns the default options.
   *
   * @return the defaults
   */
  public static SqliteOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding these options.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(this);
    b.durability = durability;
    b.readers = readers;
    b.busyTimeout = busyTimeout;
    b.sweepInterval = sweepInterval;
    return b;
  }

  /**
   * Returns what an acknowledged write survives.
   *
   * @return the durability
   */
  public Durability durability() {
    return durability;
  }

  /**
   * Returns how many reader connections serve reads and listings, each on its own thread. Writes,
   * deletes and reads that slide a TTL go to the one writer connection.
   *
   * @return the count
   */
  public int readers() {
    return readers;
  }

  /**
   * Returns how long a statement waits for a lock held by another connection of the store (a
   * checkpoint, say) before it fails with {@link io.kvstore.KvTimeoutException}.
   *
   * @return the timeout
   */
  public Duration busyTimeout() {
    return busyTimeout;
  }

  /**
   * Returns how often expired entries are deleted in the background. Reads never return an
   * expired entry whenever the sweep last ran; the sweep only gives the space back.
   *
   * @return the interval
   */
  public Duration sweepInterval() {
    return sweepInterval;
  }

  /** Builds {@link SqliteOptions}. Not thread-safe. */
  public static final class Builder extends StoreOptions.Builder<SqliteOptions, Builder> {
    private Durability durability = Durability.PROCESS_CRASH;
    private int readers = DEFAULT_READERS;
    private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
    private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;

    private Builder() {}

    private Builder(SqliteOptions from) {
      super(from);
    }

    /**
     * Sets what an acknowledged write survives.
     *
     * @param durability the durability
     * @return this builder
     * @throws KvValidationException if {@code durability} is null
     */
    public Builder durability(Durability durability) {
      this.durability = OptionChecks.notNull("durability", durability);
      return this;
    }

    /**
     * Sets how many reader connections serve reads and listings.
     *
     * @param readers the count, at least 1
     * @return this builder
     * @throws KvValidationException if {@code readers < 1}
     */
    public Builder readers(int readers) {
      this.readers = OptionChecks.atLeastOne("readers", readers);
      return this;
    }

    /**
     * Sets how long a statement waits for a lock before failing.
     *
     * @param busyTimeout the timeout, positive, at most {@code Integer.MAX_VALUE} milliseconds
     * @return this builder
     * @throws KvValidationException if {@code busyTimeout} is null, not positive or too long
     */
    public Builder busyTimeout(Duration busyTimeout) {
      OptionChecks.positive("busyTimeout", busyTimeout);
      if (busyTimeout.toMillis() > Integer.MAX_VALUE) {
        throw new KvValidationException("busyTimeout",
            "busyTimeout is at most " + Integer.MAX_VALUE + " ms, got " + busyTimeout);
      }
      this.busyTimeout = busyTimeout;
      return this;
    }

    /**
     * Sets how often expired entries are deleted in the background.
     *
     * @param sweepInterval the interval, positive
     * @return this builder
     * @throws KvValidationException if {@code sweepInterval} is null or not positive
     */
    public Builder sweepInterval(Duration sweepInterval) {
      this.sweepInterval = OptionChecks.positive("sweepInterval", sweepInterval);
      return this;
    }

    @Override
    public SqliteOptions build() {
      return new SqliteOptions(this);
    }

    @Override
    protected Builder self() {
      return this;
    }
  }
}
