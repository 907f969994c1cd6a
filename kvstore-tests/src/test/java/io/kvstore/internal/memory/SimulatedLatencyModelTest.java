package io.kvstore.internal.memory;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import java.time.Duration;

/**
 * The model-based properties on the embedded store with simulated latency and a concurrency cap
 * of 2, so the asynchronous path (timers, the request gate, close() with requests queued) keeps
 * every promise too.
 */
class SimulatedLatencyModelTest extends InMemoryModelTest {
  @Override
  protected KvStore openStore() {
    return KvStores.inMemory(InMemoryOptions.builder()
        .latency(Duration.ZERO, Duration.ofMillis(1))
        .maxConcurrentRequests(2)
        .clock(clock)
        .build());
  }
}
