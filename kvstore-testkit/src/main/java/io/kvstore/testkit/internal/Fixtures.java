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
import org.junit.jupiter.api.Assertions;

/**
 * What the suites derive from a {@link StoreFixture}: every rule that turns its capabilities,
 * clock and options into an expectation is written here once, so no suite re-derives a store's
 * behaviour and no fixture overrides a suite.
 */
public final class Fixtures {
  /**
   * Why the suites cannot run here, or {@code null}: they assert with Jupiter API of JUnit 5.8
   * ({@code assertInstanceOf}), and the kit takes the project's own JUnit (a provided
   * dependency), which may be older.
   */
  private static final String JUNIT_TOO_OLD = junitTooOld();

  private Fixtures() {}

  private static String junitTooOld() {
    try {
      Assertions.class.getMethod("assertInstanceOf", Class.class, Object.class);
      return null;
    } catch (NoSuchMethodException e) {
      return "the kvstore-testkit suites need JUnit Jupiter 5.8 or later; this test run has"
          + " junit-jupiter-api " + Assertions.class.getPackage().getImplementationVersion()
          + ". Upgrade JUnit, for example by importing org.junit:junit-bom:6.1.3";
    }
  }

  /**
   * Fails at once, naming the versions, where the suites cannot run on the project's JUnit.
   *
   * @throws IllegalStateException if its Jupiter API is older than 5.8
   */
  public static void requireJUnit() {
    if (JUNIT_TOO_OLD != null) {
      throw new IllegalStateException(JUNIT_TOO_OLD);
    }
  }

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
    } else {
      sleep(duration);
    }
  }

  /**
   * Sleeps in real time, whatever the fixture's clock: for a server's own expiries.
   *
   * @param duration how long
   * @throws AssertionError if interrupted (the interrupt is kept)
   */
  public static void sleep(Duration duration) {
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
