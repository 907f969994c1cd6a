package io.kvstore.testkit.internal;

import io.kvstore.KvCodec;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.MutableClock;
import io.kvstore.testkit.StoreFixture;
import io.kvstore.testkit.StoreFixture.Capability;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the suites derive from a {@link StoreFixture}: every rule that turns its capabilities,
 * clock and options into an expectation is written here once, so no suite re-derives a store's
 * behaviour and no fixture overrides a suite.
 */
public final class Fixtures {
  private Fixtures() {}

  /** The options the fixture gives a namespace, read from a probe that is never opened. */
  private static NamespaceOptions<byte[]> probe(StoreFixture fixture) {
    return fixture.configure(NamespaceOptions.builder("probe", KvCodec.bytes())).build();
  }

  /**
   * Whether the fixture's namespaces have a near cache.
   *
   * @param fixture the fixture
   * @return whether {@link StoreFixture#configure} adds one
   */
  public static boolean nearCache(StoreFixture fixture) {
    return probe(fixture).nearCache().isPresent();
  }

  /**
   * The listing the fixture's namespaces are opened with.
   *
   * @param fixture the fixture
   * @return the listing {@link StoreFixture#configure} chooses, or the default
   */
  public static Listing listing(StoreFixture fixture) {
    return probe(fixture).listing();
  }

  /**
   * Whether a listing returns keys in UTF-8 byte order on the fixture's store.
   *
   * @param fixture the fixture
   * @param listing the namespace's listing
   * @return always without {@link Capability#LISTING_STRATEGIES}, else only when indexed
   */
  public static boolean listsInOrder(StoreFixture fixture, Listing listing) {
    return !fixture.has(Capability.LISTING_STRATEGIES) || listing.indexed();
  }

  /**
   * The round trips of a batch write or delete in the fixture's namespaces.
   *
   * @param fixture the fixture
   * @return 2 for a near-cached namespace on a store that
   *     {@link Capability#INVALIDATES_AFTER_WRITE}, else 1
   */
  public static int writeRoundTrips(StoreFixture fixture) {
    return nearCache(fixture) && fixture.has(Capability.INVALIDATES_AFTER_WRITE) ? 2 : 1;
  }

  /**
   * A second store on the first one's data, as a second deployed instance would open it.
   *
   * @param fixture the fixture
   * @param first the first store
   * @return a new store with {@link Capability#SHARED_DATA}, else {@code first} itself
   */
  public static KvStore openPeer(StoreFixture fixture, KvStore first) {
    return fixture.has(Capability.SHARED_DATA) ? fixture.open() : first;
  }

  /**
   * Lets time pass for the store's TTLs: moves the fixture's clock, or sleeps without one.
   *
   * @param fixture the fixture
   * @param duration how much time must pass
   */
  public static void advance(StoreFixture fixture, Duration duration) {
    Optional<MutableClock> clock = fixture.clock();
    if (clock.isPresent()) {
      clock.get().advance(duration);
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * The store's now, for absolute expiries and the model.
   *
   * @param fixture the fixture
   * @return the fixture's clock's instant, or the system's
   */
  public static Instant now(StoreFixture fixture) {
    return fixture.clock().map(MutableClock::instant).orElseGet(Instant::now);
  }
}
