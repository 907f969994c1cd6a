package io.kvstore.internal.memory;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.testkit.KvStoreContract;
import io.kvstore.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;

/** The contract suite on the embedded store, with a hand-moved clock: no test sleeps. */
class InMemoryStoreContractTest extends KvStoreContract {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Override
  protected KvStore openStore() {
    return KvStores.inMemory(InMemoryOptions.builder().clock(clock).build());
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
