package io.kvstore;

import java.time.Duration;

/**
 * A simulated edge network in front of any store: every call to the store (a {@code get}, a
 * whole {@code getAll} batch, a listing page) waits one round trip of latency before it is sent,
 * and at most {@code maxConcurrentRequests} calls are in flight at once, the rest queued, as a
 * browser or a Cloudflare Worker queues requests beyond its connection limit. It makes the cost
 * of a loop of sequential gets visible on a laptop: 64 gets at 20 ms take 1.3 s, one
 * {@code getAll} 20 ms. Set it with {@link StoreOptions.Builder#simulatedEdge(SimulatedEdge)} on
 * any store's options. No thread sleeps: one timer thread per store fires the delays.
 *
 * @param minLatency the shortest round trip, at least zero
 * @param maxLatency the longest round trip, at least {@code minLatency}; each call draws its
 *     latency uniformly between the two
 * @param maxConcurrentRequests how many calls may be in flight at once, at least 1;
 *     {@link #UNBOUNDED} for no cap
 */
public record SimulatedEdge(Duration minLatency, Duration maxLatency, int maxConcurrentRequests) {
  /** No cap on calls in flight. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  /**
   * Checks the settings.
   *
   * @param minLatency the shortest round trip
   * @param maxLatency the longest round trip
   * @param maxConcurrentRequests the cap on calls in flight
   * @throws KvValidationException if a latency is null or negative, {@code maxLatency} is below
   *     {@code minLatency}, or {@code maxConcurrentRequests} is below 1
   */
  public SimulatedEdge {
    if (minLatency == null || maxLatency == null) {
      throw new KvValidationException("latency", "latency must not be null");
    }
    if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
      throw new KvValidationException("latency", "latency must be 0 <= min <= max, got "
          + minLatency + " to " + maxLatency);
    }
    if (maxConcurrentRequests < 1) {
      throw new KvValidationException("maxConcurrentRequests",
          "maxConcurrentRequests must be at least 1, got " + maxConcurrentRequests);
    }
  }

  /**
   * Returns an edge with a fixed round trip and no cap on calls in flight.
   *
   * @param roundTrip the latency of every call
   * @return the simulation
   * @throws KvValidationException if {@code roundTrip} is null or negative
   */
  public static SimulatedEdge latency(Duration roundTrip) {
    return new SimulatedEdge(roundTrip, roundTrip, UNBOUNDED);
  }

  /**
   * Returns an edge whose round trips vary uniformly between two bounds, with no cap on calls in
   * flight.
   *
   * @param min the shortest round trip
   * @param max the longest round trip
   * @return the simulation
   * @throws KvValidationException if a bound is null, negative or {@code max < min}
   */
  public static SimulatedEdge latency(Duration min, Duration max) {
    return new SimulatedEdge(min, max, UNBOUNDED);
  }

  /**
   * Returns this edge with a cap on calls in flight (Cloudflare Workers allow 6 simultaneous
   * connections).
   *
   * @param max how many calls may be in flight at once, at least 1
   * @return the simulation
   * @throws KvValidationException if {@code max < 1}
   */
  public SimulatedEdge withMaxConcurrentRequests(int max) {
    return new SimulatedEdge(minLatency, maxLatency, max);
  }
}
