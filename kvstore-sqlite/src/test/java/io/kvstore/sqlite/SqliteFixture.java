package io.kvstore.sqlite;

import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.MutableClock;
import io.kvstore.testkit.StoreFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The durable embedded store as the suites' fixture: a new database file per {@link #open()}
 * (one process holds a file at a time, so every store has data of its own), on a clock the
 * suites move by hand. It declares no capability: like the in-memory store it lists in key order
 * and writes in one round trip.
 */
final class SqliteFixture implements StoreFixture {
  private static final AtomicInteger FILES = new AtomicInteger();

  private final Path dir;
  private final boolean nearCache;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  /**
   * Chooses the cell.
   *
   * @param dir where the database files go
   * @param nearCache a near cache on every namespace but sliding-TTL ones
   */
  SqliteFixture(Path dir, boolean nearCache) {
    this.dir = dir;
    this.nearCache = nearCache;
  }

  @Override
  public KvStore open() {
    return SqliteKvStore.open(dir.resolve("store-" + FILES.incrementAndGet() + ".db"),
        SqliteOptions.builder().clock(clock).readers(2).build());
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
    return "sqlite, near cache " + (nearCache ? "on" : "off");
  }
}
