package io.kvstore.contract;

import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.KvStoreContract;
import io.kvstore.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole contract suite on every legal cell of {@link ContractMatrix}: 12 runs of its 38 tests
 * (456), each with the suite's sections as nested groups ({@code [12] Redis Cluster, indexed,
 * near cache on > Listings > paginationWalksEveryKeyExactlyOnce()}). The Redis server and Cluster
 * are started once for the run ({@link SharedRedis}) and flushed before each test.
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
@MethodSource("io.kvstore.contract.ContractMatrix#legal")
class ContractMatrixTest extends KvStoreContract {
  @Parameter
  Combination cell;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Override
  protected KvStore openStore() {
    return cell.fixture().open(clock);
  }

  @Override
  protected <V> NamespaceOptions.Builder<V> configure(NamespaceOptions.Builder<V> builder) {
    return cell.configure(builder);
  }

  @Override
  protected int writeRoundTrips() {
    return cell.writeRoundTrips();
  }

  @Override
  protected boolean listsInOrder() {
    return cell.listsInOrder();
  }

  @Override
  protected void advanceTime(Duration duration) {
    if (cell.fixture().handMovedClock()) {
      clock.advance(duration);
    } else {
      super.advanceTime(duration);
    }
  }

  @Override
  protected Instant storeNow() {
    return cell.fixture().handMovedClock() ? clock.instant() : super.storeNow();
  }
}
