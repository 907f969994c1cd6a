package io.kvstore.sqlite;

import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.testkit.KvStoreContract;
import io.kvstore.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole contract suite on the durable embedded store, on a new file per test and a
 * hand-moved clock, without and with a near cache on every namespace (a sliding-TTL namespace
 * keeps none: the pair is rejected at open).
 */
@ParameterizedClass(name = "sqlite, near cache {0}")
@ValueSource(booleans = {false, true})
class SqliteContractTest extends KvStoreContract {
  @Parameter
  boolean nearCache;

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Override
  protected KvStore openStore() {
    return SqliteKvStore.open(dir, SqliteOptions.builder().clock(clock).build());
  }

  @Override
  protected <V> NamespaceOptions.Builder<V> configure(NamespaceOptions.Builder<V> builder) {
    if (nearCache && builder.build().ttl().kind() != TtlPolicy.Kind.SLIDING) {
      builder.nearCache(NearCacheOptions.builder().build());
    }
    return builder;
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
