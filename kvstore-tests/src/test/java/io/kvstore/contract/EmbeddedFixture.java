package io.kvstore.contract;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.NamespaceOptions;
import io.kvstore.SimulatedEdge;
import io.kvstore.testkit.MutableClock;
import io.kvstore.testkit.StoreFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The embedded store as the suites' fixture: a new store per {@link #open()}, on a clock the
 * suites move by hand, so no test sleeps. It declares no capability: its data is its own, it
 * lists every namespace in key order and a write is one round trip.
 */
final class EmbeddedFixture implements StoreFixture {
  private final boolean latency;
  private final boolean nearCache;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  /**
   * Chooses the cell.
   *
   * @param latency 0-1 ms of simulated latency and at most 2 concurrent requests, so the
   *     asynchronous path (timers, the request gate, completion threads, close() with requests
   *     queued) keeps every promise too
   * @param nearCache a near cache on every namespace but sliding-TTL ones
   */
  EmbeddedFixture(boolean latency, boolean nearCache) {
    this.latency = latency;
    this.nearCache = nearCache;
  }

  @Override
  public KvStore open() {
    InMemoryOptions.Builder options = InMemoryOptions.builder().clock(clock);
    if (latency) {
      options
          .simulatedEdge(SimulatedEdge.latency(Duration.ZERO, Duration.ofMillis(1))
              .withMaxConcurrentRequests(2));
    }
    return KvStores.inMemory(options.build());
  }

  @Override
  public Optional<MutableClock> clock() {
    return Optional.of(clock);
  }

  @Override
  public <V> NamespaceOptions.Builder<V> configure(NamespaceOptions.Builder<V> builder) {
    return nearCache ? StoreFixture.nearCached(builder) : builder;
  }

  @Override
  public String toString() {
    return (latency ? "embedded with latency" : "embedded") + ", sorted map, near cache "
        + (nearCache ? "on" : "off");
  }
}
