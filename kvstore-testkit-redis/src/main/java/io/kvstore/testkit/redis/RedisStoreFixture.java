package io.kvstore.testkit.redis;

import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.testkit.KvStoreSuites;
import io.kvstore.testkit.StoreFixture;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The kit's suites on a real Redis server or Cluster: a {@link StoreFixture} whose stores
 * connect to a {@link RedisExtension}'s Redis. It declares what the Redis adapter does that an
 * embedded store does not, so no suite has to know it: stores share the server's data, namespaces
 * list by SCAN (no order) or by index (in order), and, with server tracking turned off, a
 * near-cached namespace waits for its invalidation's PUBLISH after the write where it cannot ride
 * in the write's round trip (a Cluster, or an indexed namespace).
 *
 * <pre>{@code
 * class MyRedisSuitesTest extends KvStoreSuites {
 *   @RegisterExtension static final RedisExtension REDIS = RedisExtension.server();
 *
 *   protected StoreFixture fixture() {
 *     return RedisStoreFixture.server(() -> REDIS).withListing(Listing.INDEXED);
 *   }
 * }
 * }</pre>
 *
 * <p>Immutable; every {@code with} method returns a new fixture. Keys the suites write stay on the
 * server (each test uses namespaces of its own); flush between tests if the keyspace should stay
 * small ({@link RedisExtension#flushAll()}).
 *
 * @see KvStoreSuites
 */
public final class RedisStoreFixture implements StoreFixture {
  /**
   * The reply timeout of {@link #openForLargeValues()}: a 25 MiB write through an indexed
   * namespace's script took over 2 s on this project's 2-core CI machine under load.
   */
  private static final Duration LARGE_VALUE_TIMEOUT = Duration.ofSeconds(30);

  private final boolean cluster;
  private final Supplier<RedisExtension> redis;
  private final Listing listing;
  private final boolean nearCache;
  private final RedisKvOptions options;

  private RedisStoreFixture(boolean cluster, Supplier<RedisExtension> redis, Listing listing,
      boolean nearCache, RedisKvOptions options) {
    this.cluster = cluster;
    this.redis = Objects.requireNonNull(redis, "redis");
    this.listing = Objects.requireNonNull(listing, "listing");
    this.nearCache = nearCache;
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Stores on one Redis server, namespaces listed by SCAN, no near cache.
   *
   * @param redis the extension of a {@link RedisExtension#server() server}, asked for only when
   *     a store opens (so an extension that starts on first use may be passed)
   * @return the fixture
   */
  public static RedisStoreFixture server(Supplier<RedisExtension> redis) {
    return new RedisStoreFixture(false, redis, Listing.UNINDEXED, false, RedisKvOptions.defaults());
  }

  /**
   * Stores on a Redis Cluster, namespaces listed by SCAN, no near cache.
   *
   * @param redis the extension of a {@link RedisExtension#cluster() Cluster}, asked for only
   *     when a store opens
   * @return the fixture
   */
  public static RedisStoreFixture cluster(Supplier<RedisExtension> redis) {
    return new RedisStoreFixture(true, redis, Listing.UNINDEXED, false, RedisKvOptions.defaults());
  }

  /**
   * Returns this fixture with every namespace listed this way.
   *
   * @param listing {@link Listing#UNINDEXED} or an indexed listing
   * @return a new fixture
   */
  public RedisStoreFixture withListing(Listing listing) {
    return new RedisStoreFixture(cluster, redis, listing, nearCache, options);
  }

  /**
   * Returns this fixture with a default near cache on every namespace but sliding-TTL ones (a
   * near cache over a sliding TTL is refused).
   *
   * @param nearCache whether namespaces get a near cache
   * @return a new fixture
   */
  public RedisStoreFixture withNearCache(boolean nearCache) {
    return new RedisStoreFixture(cluster, redis, listing, nearCache, options);
  }

  /**
   * Returns this fixture connecting with these options.
   *
   * @param options the adapter's options
   * @return a new fixture
   */
  public RedisStoreFixture withOptions(RedisKvOptions options) {
    return new RedisStoreFixture(cluster, redis, listing, nearCache, options);
  }

  @Override
  public KvStore open() {
    return open(options);
  }

  /** A reply timeout that fits a 25 MiB value on a loaded machine (docs/redis.md). */
  @Override
  public KvStore openForLargeValues() {
    return open(options.timeout().compareTo(LARGE_VALUE_TIMEOUT) >= 0 ? options
        : options.toBuilder().timeout(LARGE_VALUE_TIMEOUT).build());
  }

  private KvStore open(RedisKvOptions with) {
    RedisExtension running = redis.get();
    return cluster ? RedisKvStore.connectCluster(running.clusterUris(), with)
        : RedisKvStore.connect(running.uri(), with);
  }

  @Override
  public Set<Capability> capabilities() {
    Set<Capability> capabilities =
        EnumSet.of(Capability.SHARED_DATA, Capability.LISTING_STRATEGIES);
    // With server tracking (the default), a write's PUBLISH follows it unawaited.
    if ((cluster || listing.indexed()) && !options.serverTracking()) {
      capabilities.add(Capability.INVALIDATES_AFTER_WRITE);
    }
    return capabilities;
  }

  @Override
  public <V> NamespaceOptions.Builder<V> configure(NamespaceOptions.Builder<V> builder) {
    builder.listing(listing);
    return nearCache ? StoreFixture.nearCached(builder) : builder;
  }

  /** Reads as the matrix names its cells: {@code Redis Cluster, indexed, near cache on}. */
  @Override
  public String toString() {
    return (cluster ? "Redis Cluster" : "Redis") + ", " + (listing.indexed() ? "indexed" : "SCAN")
        + ", near cache " + (nearCache ? "on" : "off");
  }
}
