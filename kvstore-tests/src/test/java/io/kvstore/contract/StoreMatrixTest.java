package io.kvstore.contract;

import io.kvstore.testkit.KvStoreSuites;
import io.kvstore.testkit.StoreFixture;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every suite of the test kit (the contract, the model-based properties, the rolling-deploy
 * suite) on every legal cell of {@link StoreMatrix}, each suite and section a nested group:
 * {@code [12] Redis Cluster, indexed, near cache on > Contract > Listings >
 * paginationWalksEveryKeyExactlyOnce()}. The Redis server and Cluster are started once for the
 * run ({@link SharedRedis}) and flushed before each test.
 *
 * <p>Surefire's reports name a test by its section and the cell's number, as
 * {@code KvStoreContract$RoundTrips batchWritesAndDeletesAreOneRoundTripEach()[8]}; the numbers:
 *
 * <ol>
 *   <li>embedded, sorted map, near cache off
 *   <li>embedded, sorted map, near cache on
 *   <li>embedded with latency, sorted map, near cache off
 *   <li>embedded with latency, sorted map, near cache on
 *   <li>Redis, SCAN, near cache off
 *   <li>Redis, SCAN, near cache on
 *   <li>Redis, indexed, near cache off
 *   <li>Redis, indexed, near cache on
 *   <li>Redis Cluster, SCAN, near cache off
 *   <li>Redis Cluster, SCAN, near cache on
 *   <li>Redis Cluster, indexed, near cache off
 *   <li>Redis Cluster, indexed, near cache on
 * </ol>
 */
@ExtendWith(SharedRedis.class)
@ParameterizedClass(name = "{0}")
@MethodSource("io.kvstore.contract.StoreMatrix#legal")
class StoreMatrixTest extends KvStoreSuites {
  @Parameter
  StoreFixture cell;

  @Override
  protected StoreFixture fixture() {
    return cell;
  }
}
