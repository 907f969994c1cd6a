package io.kvstore;

import io.kvstore.spi.OptionChecks;
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
 *   <tr><td>{@code clock}, {@code observability}, {@code decoding}</td><td>as in
 *       {@link StoreOptions}</td></tr>
 * </table>
 *
 * <pre>{@code
 * KvStore edge = KvStores.inMemory(InMemoryOptions.builder()
 *     .latency(Duration.ofMillis(20))
 *     .maxConcurrentRequests(6)
 *     .build());
 * }</pre>
 */
public final class InMemoryOptions extends StoreOptions {
  /** Concurrent requests are unbounded unless {@code maxConcurrentRequests} is set. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  private static final InMemoryOptions DEFAULTS = builder().build();

  private final Duration minLatency;
  private final Duration maxLatency;
  private final int maxConcurrentRequests;

  private InMemoryOptions(Builder b) {
    super(b);
    this.minLatency = b.minLatency;
    this.maxLatency = b.maxLatency;
    this.maxConcurrentRequests = b.maxConcurrentRequests;
  }

  /**
   * Returns the default options: no simulated latency, no cap on concurrent requests.
   *
   * @return the defaults
   */
  public static InMemoryOptions defaults() {
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
    b.minLatency = minLatency;
    b.maxLatency = maxLatency;
    b.maxConcurrentRequests = maxConcurrentRequests;
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

  /** Builds {@link InMemoryOptions}. Not thread-safe. */
  public static final class Builder extends StoreOptions.Builder<InMemoryOptions, Builder> {
    private Duration minLatency = Duration.ZERO;
    private Duration maxLatency = Duration.ZERO;
    private int maxConcurrentRequests = UNBOUNDED;

    private Builder() {}

    private Builder(InMemoryOptions from) {
      super(from);
    }

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
      this.maxConcurrentRequests = OptionChecks.atLeastOne("maxConcurrentRequests", max);
      return this;
    }

    @Override
    public InMemoryOptions build() {
      return new InMemoryOptions(this);
    }

    @Override
    protected Builder self() {
      return this;
    }
  }
}
