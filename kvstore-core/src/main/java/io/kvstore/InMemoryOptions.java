package io.kvstore;

import java.time.Clock;
import java.time.Duration;

/**
 * Options of the embedded in-memory store, including a simulated edge network: a delay per round
 * trip (once per batch, never per key) and a cap on concurrent requests, such as the six
 * connections a Cloudflare Worker may hold at once. Immutable and thread-safe.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code latency}</td><td>0: calls complete on the calling thread</td></tr>
 *   <tr><td>{@code maxConcurrentRequests}</td><td>unbounded</td></tr>
 *   <tr><td>{@code clock}</td><td>{@link Clock#systemUTC()}</td></tr>
 *   <tr><td>{@code observability}</td><td>{@link ObservabilityOptions#defaults()}</td></tr>
 *   <tr><td>{@code coalesceGets}</td><td>{@value NamespaceOptions#DEFAULT_COALESCE_GETS}: concurrent
 *       single gets of a namespace go out as one batch</td></tr>
 * </table>
 *
 * <pre>{@code
 * KvStore edge = KvStores.inMemory(InMemoryOptions.builder()
 *     .latency(Duration.ofMillis(20))
 *     .maxConcurrentRequests(6)
 *     .build());
 * }</pre>
 */
public final class InMemoryOptions {
  /** Concurrent requests are unbounded unless {@code maxConcurrentRequests} is set. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  private final Duration minLatency;
  private final Duration maxLatency;
  private final int maxConcurrentRequests;
  private final Clock clock;
  private final ObservabilityOptions observability;
  private final boolean coalesceGets;

  private InMemoryOptions(Builder b) {
    this.minLatency = b.minLatency;
    this.maxLatency = b.maxLatency;
    this.maxConcurrentRequests = b.maxConcurrentRequests;
    this.clock = b.clock;
    this.observability = b.observability;
    this.coalesceGets = b.coalesceGets;
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
    Builder b = new Builder();
    b.minLatency = minLatency;
    b.maxLatency = maxLatency;
    b.maxConcurrentRequests = maxConcurrentRequests;
    b.clock = clock;
    b.observability = observability;
    b.coalesceGets = coalesceGets;
    return b;
  }

  /**
   * Returns the smallest simulated delay per round trip.
   *
   * @return the minimum latency, zero when none is simulated
   */
  public Duration minLatency() {
    return minLatency;
  }

  /**
   * Returns the largest simulated delay per round trip.
   *
   * @return the maximum latency; equal to the minimum for a fixed delay
   */
  public Duration maxLatency() {
    return maxLatency;
  }

  /**
   * Returns how many requests may be in flight at once; later ones wait for a free slot.
   *
   * @return the cap, or {@link #UNBOUNDED}
   */
  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  /**
   * Returns the clock that TTLs are measured against.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Returns the observability options.
   *
   * @return listeners, slow-operation thresholds and key redaction
   */
  public ObservabilityOptions observability() {
    return observability;
  }

  /**
   * Returns whether namespaces coalesce concurrent single {@code get}s unless they say otherwise
   * ({@link NamespaceOptions.Builder#coalesceGets(boolean)}).
   *
   * @return the store's setting
   */
  public boolean coalesceGets() {
    return coalesceGets;
  }

  /** Builds {@link InMemoryOptions}. Not thread-safe. */
  public static final class Builder {
    private Duration minLatency = Duration.ZERO;
    private Duration maxLatency = Duration.ZERO;
    private int maxConcurrentRequests = UNBOUNDED;
    private Clock clock = Clock.systemUTC();
    private ObservabilityOptions observability = ObservabilityOptions.defaults();
    private boolean coalesceGets = NamespaceOptions.DEFAULT_COALESCE_GETS;

    private Builder() {}

    /**
     * Simulates a fixed delay per round trip.
     *
     * @param latency the delay, zero or positive
     * @return this builder
     * @throws KvValidationException if {@code latency} is null or negative
     */
    public Builder latency(Duration latency) {
      return latency(latency, latency);
    }

    /**
     * Simulates a delay per round trip drawn uniformly from {@code [min, max]}.
     *
     * @param min the smallest delay, zero or positive
     * @param max the largest delay, at least {@code min}
     * @return this builder
     * @throws KvValidationException if a bound is null or negative, or {@code max < min}
     */
    public Builder latency(Duration min, Duration max) {
      if (min == null || max == null || min.isNegative() || max.compareTo(min) < 0) {
        throw new KvValidationException(
            "latency", "latency bounds must be non-negative with min <= max, got "
                + min + " and " + max);
      }
      this.minLatency = min;
      this.maxLatency = max;
      return this;
    }

    /**
     * Caps the requests in flight at once; later requests wait, without blocking a thread.
     *
     * @param max the cap, at least 1
     * @return this builder
     * @throws KvValidationException if {@code max < 1}
     */
    public Builder maxConcurrentRequests(int max) {
      if (max < 1) {
        throw new KvValidationException(
            "maxConcurrentRequests", "maxConcurrentRequests is " + max + "; it must be >= 1");
      }
      this.maxConcurrentRequests = max;
      return this;
    }

    /**
     * Sets the clock that TTLs are measured against, so tests can expire keys without sleeping.
     *
     * @param clock the clock
     * @return this builder
     * @throws KvValidationException if {@code clock} is null
     */
    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new KvValidationException("clock", "clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /**
     * Sets listeners, slow-operation thresholds and key redaction.
     *
     * @param observability the options
     * @return this builder
     * @throws KvValidationException if {@code observability} is null
     */
    public Builder observability(ObservabilityOptions observability) {
      if (observability == null) {
        throw new KvValidationException("observability", "observability must not be null");
      }
      this.observability = observability;
      return this;
    }

    /**
     * Sets whether namespaces coalesce concurrent single {@code get}s: gets issued while an
     * earlier get of the namespace waits for the store (for its simulated delay, or for one of
     * the {@code maxConcurrentRequests} slots) go out together as the next request, one round
     * trip. A lone get is sent at once. A namespace's own
     * {@link NamespaceOptions.Builder#coalesceGets(boolean)} wins over this.
     *
     * @param coalesceGets whether to coalesce, {@value NamespaceOptions#DEFAULT_COALESCE_GETS}
     *     by default
     * @return this builder
     */
    public Builder coalesceGets(boolean coalesceGets) {
      this.coalesceGets = coalesceGets;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the immutable options
     */
    public InMemoryOptions build() {
      return new InMemoryOptions(this);
    }
  }
}
