package io.kvstore.testkit;

import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.TtlPolicy;
import java.util.Optional;
import java.util.Set;

/**
 * One store under test, as every suite of this kit sees it: {@link KvStoreContract},
 * {@link KvStoreModelProperties} and {@link SchemaEvolutionContract} (or all three at once,
 * {@link KvStoreSuites}) run on a fixture and ask it nothing else. To run every suite against a
 * new store, write one fixture:
 *
 * <pre>{@code
 * record MyStoreFixture() implements StoreFixture {
 *   public KvStore open() {
 *     return KvStores.fromBackend(new MyBackend(...));   // the suite closes it
 *   }
 * }
 *
 * class MyStoreTest extends KvStoreSuites {
 *   protected StoreFixture fixture() {
 *     return new MyStoreFixture();
 *   }
 * }
 * }</pre>
 *
 * <p>Where stores behave differently, the fixture declares it: as a {@link Capability} (named here,
 * in one place, with what each suite expects of it), with a {@link #clock()} the suites may move,
 * and with {@link #configure options} for every namespace the suites open. The suites derive
 * everything else (orders, round trips, peers, clean-up) from these.
 *
 * <p>Every test works in namespaces of its own, so the stores a fixture opens may share one
 * server. A fixture is used by one test at a time; {@link #open()} may be called several times
 * per test.
 */
public interface StoreFixture {

  /**
   * What a store does that the suites cannot assume of every store. A fixture declares each one
   * its store has; without any, the suites expect an embedded store's behaviour.
   */
  enum Capability {
    /**
     * The stores {@link #open()} returns share their data (a server): the schema-evolution suite
     * runs the old and the new release on two stores over one data set, as two deployed
     * processes; the model suite deletes each sequence's keys after it and writes other
     * namespaces' keys beside its own. Without it, each store opened holds data of its own and
     * both releases run on one store.
     */
    SHARED_DATA,
    /**
     * Namespaces choose how they list ({@code Listing.UNINDEXED}: every key, in no promised order;
     * {@code Listing.INDEXED}: in key order, from an index {@code reindex()} builds). Without it,
     * every listing is in UTF-8 key order whatever the namespace names, and {@code reindex()}
     * moves no key (returns 0). With it, the model suite opens an indexed namespace under SCAN
     * first and migrates it partway through each sequence.
     */
    LISTING_STRATEGIES,
    /**
     * A batch write or delete on a near-cached namespace tells other instances' near caches in a
     * round trip of its own, once the write is applied (on Redis with server tracking turned
     * off: a Cluster, or an indexed namespace, where the invalidation cannot ride in the write's
     * round trip; with tracking, the server tells other instances itself). The contract then
     * expects 2 round trips per batch write on such namespaces, else 1.
     */
    INVALIDATES_AFTER_WRITE
  }

  /**
   * Opens a store. The suites call it once or more per test (or per model sequence) and close
   * every store they open.
   *
   * @return a new store; with {@link Capability#SHARED_DATA}, on the same data as the others
   */
  KvStore open();

  /**
   * Opens a store for the contract's largest value, a JSON string just under the default
   * {@code maxValueBytes} (25 MiB). A store over a network bounds each command by a reply
   * timeout, and moving 25 MiB takes longer than a small command should wait, the more so on a
   * loaded machine: a fixture whose timeout is short (to keep other waits short) returns here a
   * store whose timeout fits such a value. The suites close it after the test.
   *
   * @return a new store on the same data as {@link #open()}'s; {@link #open()} by default
   */
  default KvStore openForLargeValues() {
    return open();
  }

  /**
   * The store's capabilities.
   *
   * @return the capabilities; none by default
   */
  default Set<Capability> capabilities() {
    return Set.of();
  }

  /**
   * The clock the store keeps TTLs on, if the suites may move it: then no test sleeps. Without
   * one, the store keeps real time (a server's), the suites wait for TTLs to run out and allow
   * for the time a write takes to reach the store.
   *
   * @return the clock every store this fixture opens reads; empty by default
   */
  default Optional<MutableClock> clock() {
    return Optional.empty();
  }

  /**
   * Options every namespace the suites open gets, such as a listing strategy or a near cache.
   * A near cache cannot be combined with a sliding TTL ({@link NamespaceOptions.Builder#build()}
   * rejects it), so leave sliding-TTL namespaces without one.
   *
   * @param builder the options a suite chose
   * @param <V> the value type
   * @return the builder to build; unchanged by default
   */
  default <V> NamespaceOptions.Builder<V> configure(NamespaceOptions.Builder<V> builder) {
    return builder;
  }

  /**
   * Adds a near cache with default options to a namespace, unless its TTL slides (a near cache
   * cannot be combined with a sliding TTL): what {@link #configure} does in a near-cached cell.
   *
   * @param builder the options a suite chose
   * @param <V> the value type
   * @return the same builder
   */
  static <V> NamespaceOptions.Builder<V> nearCached(NamespaceOptions.Builder<V> builder) {
    if (builder.build().ttl().kind() != TtlPolicy.Kind.SLIDING) {
      builder.nearCache(NearCacheOptions.builder().build());
    }
    return builder;
  }

  /**
   * Whether the fixture declares a capability.
   *
   * @param capability the capability
   * @return whether {@link #capabilities()} holds it
   */
  default boolean has(Capability capability) {
    return capabilities().contains(capability);
  }
}
