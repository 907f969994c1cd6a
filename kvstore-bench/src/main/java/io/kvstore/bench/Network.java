package io.kvstore.bench;

import java.time.Duration;

/** The networks a fetch benchmark runs over. */
public enum Network {
  /** Redis on loopback, nothing added. */
  LOOPBACK(Duration.ZERO),
  /** Redis behind {@code TcpProxy}, 1 ms added per round trip. */
  PROXY_1MS(Duration.ofMillis(1)),
  /** Redis behind {@code TcpProxy}, 10 ms added per round trip. */
  PROXY_10MS(Duration.ofMillis(10)),
  /** The embedded in-memory store simulating 1 ms per round trip. */
  MEMORY_1MS(Duration.ofMillis(1)),
  /**
   * The embedded store as a Cloudflare Worker sees Workers KV: 20 ms per round trip and at most
   * 6 requests in flight. Not in the default lists: a sequential read of 1,000 keys takes 20 s.
   */
  EDGE_20MS_CAP6(Duration.ofMillis(20), 6);

  private final Duration addedRoundTrip;
  private final int maxConcurrentRequests;

  Network(Duration addedRoundTrip) {
    this(addedRoundTrip, Integer.MAX_VALUE);
  }

  Network(Duration addedRoundTrip, int maxConcurrentRequests) {
    this.addedRoundTrip = addedRoundTrip;
    this.maxConcurrentRequests = maxConcurrentRequests;
  }

  /**
   * Tells whether this is the embedded store rather than Redis.
   *
   * @return true for the simulated networks of the in-memory store
   */
  public boolean embedded() {
    return this == MEMORY_1MS || this == EDGE_20MS_CAP6;
  }

  /**
   * Returns the cap on requests in flight of the embedded store.
   *
   * @return the cap, {@link Integer#MAX_VALUE} for none
   */
  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  /**
   * Returns the latency added to each round trip.
   *
   * @return the added latency, zero on loopback
   */
  public Duration addedRoundTrip() {
    return addedRoundTrip;
  }
}
