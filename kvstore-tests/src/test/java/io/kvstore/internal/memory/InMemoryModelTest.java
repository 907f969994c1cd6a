package io.kvstore.internal.memory;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.testkit.KvStoreModelProperties;
import io.kvstore.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;

/** The model-based properties on the embedded store, with a hand-moved clock for TTLs. */
class InMemoryModelTest extends KvStoreModelProperties {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Override
  protected KvStore openStore() {
    return KvStores.inMemory(InMemoryOptions.builder().clock(clock).build());
  }

  @Override
  protected boolean movableClock() {
    return true;
  }

  @Override
  protected void advanceTime(Duration duration) {
    clock.advance(duration);
  }

  @Override
  protected Instant now() {
    return clock.instant();
  }
}
