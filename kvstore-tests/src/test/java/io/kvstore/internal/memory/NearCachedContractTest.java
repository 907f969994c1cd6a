package io.kvstore.internal.memory;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.testkit.KvStoreContract;
import io.kvstore.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;

/** The contract suite with a near cache on every namespace of the embedded store. */
class NearCachedContractTest extends KvStoreContract {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Override
  protected KvStore openStore() {
    return KvStores.inMemory(InMemoryOptions.builder().clock(clock).build());
  }

  /** Every namespace but the sliding-TTL one, which a near cache cannot serve (rejected). */
  @Override
  protected <V> NamespaceOptions.Builder<V> configure(NamespaceOptions.Builder<V> builder) {
    return builder.build().ttl().kind() == TtlPolicy.Kind.SLIDING ? builder
        : builder.nearCache(NearCacheOptions.builder().build());
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
