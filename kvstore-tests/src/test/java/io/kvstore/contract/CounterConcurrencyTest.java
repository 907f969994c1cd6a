package io.kvstore.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.testing.ConcurrentCounters;
import io.kvstore.testkit.StoreFixture;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No lost increments: 8 threads each increment one counter 500 times, and it ends at exactly
 * 4,000, on every cell of {@link StoreMatrix} (embedded with and without latency, Redis and
 * Cluster, scanned and indexed, near cache off and on), with {@link ConcurrentCounters}. Kept
 * out of the contract so the matrix's run time stays what it was: 4,000 round trips a cell.
 */
@ExtendWith(SharedRedis.class)
@ParameterizedClass(name = "{0}")
@MethodSource("cells")
class CounterConcurrencyTest {
  @Parameter
  StoreFixture cell;

  static List<StoreFixture> cells() {
    return StoreMatrix.legal();
  }

  @Test
  void concurrentIncrementsAreNeverLost() throws Exception {
    try (KvStore store = cell.open()) {
      KvNamespace<Long> ns = store.namespace(cell.configure(NamespaceOptions.builder(
          "counters-" + ProcessHandle.current().pid(), KvCodec.json(Long.class))).build());
      ConcurrentCounters.increment(ns, "n");
      assertEquals(Optional.of(ConcurrentCounters.EXPECTED), ns.blocking().get("n"));
    }
  }
}
