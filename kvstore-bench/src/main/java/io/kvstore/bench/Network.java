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
  MEMORY_1MS(Duration.ofMillis(1));

  private final Duration addedRoundTrip;

  Network(Duration addedRoundTrip) {
    this.addedRoundTrip = addedRoundTrip;
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
