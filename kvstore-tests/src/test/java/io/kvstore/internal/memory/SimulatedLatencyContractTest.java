package io.kvstore.internal.memory;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.testkit.KvStoreContract;
import io.kvstore.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;

/**
 * The contract suite again with simulated latency and a concurrency cap, so the asynchronous
 * path (timers, the request gate, completion threads) keeps every promise too.
 */
class SimulatedLatencyContractTest extends KvStoreContract {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Override
  protected KvStore openStore() {
    return KvStores.inMemory(InMemoryOptions.builder()
        .latency(Duration.ZERO, Duration.ofMillis(1))
        .maxConcurrentRequests(6)
        .clock(clock)
        .build());
  }

  @Override
  protected void advanceTime(Duration duration) {
    clock.advance(duration);
  }

  @Override
  protected Instant storeNow() {
    return clock.instant();
  }
}
