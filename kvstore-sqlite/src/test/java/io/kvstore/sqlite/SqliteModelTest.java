package io.kvstore.sqlite;

import io.kvstore.KvStore;
import io.kvstore.testkit.KvStoreModelProperties;
import io.kvstore.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-based properties on the durable embedded store: a new file per sequence, a
 * hand-moved clock for TTLs.
 */
class SqliteModelTest extends KvStoreModelProperties {
  private static final AtomicInteger FILES = new AtomicInteger();

  @TempDir
  static Path dir;

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Override
  protected KvStore openStore() {
    return SqliteKvStore.open(dir.resolve("model-" + FILES.incrementAndGet() + ".db"),
        SqliteOptions.builder().clock(clock).readers(2).build());
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
