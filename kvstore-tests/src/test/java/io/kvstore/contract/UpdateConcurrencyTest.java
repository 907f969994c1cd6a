package io.kvstore.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.testing.ConcurrentUpdates;
import io.kvstore.testkit.StoreFixture;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No lost updates: 8 threads each run 500 {@code update}s that increment one record, and the
 * record ends at exactly 4,000, on every legal cell of {@link StoreMatrix} (embedded with and
 * without latency, Redis and Redis Cluster, SCAN and indexed listing, near cache off and on: in
 * an indexed namespace the index and the invalidations are kept by the same conditional writes),
 * with {@link ConcurrentUpdates}. SQLite runs it in its own module; the same across a Redis crash
 * is {@code io.kvstore.redis.UpdateRestartTest}.
 */
@ExtendWith(SharedRedis.class)
@ParameterizedClass(name = "{0}")
@MethodSource("io.kvstore.contract.StoreMatrix#legal")
class UpdateConcurrencyTest {
  @Parameter
  StoreFixture cell;

  @Test
  void concurrentIncrementsAreNeverLost() throws Exception {
    try (KvStore store = cell.open()) {
      KvNamespace<String> ns = store.namespace(cell.configure(
          NamespaceOptions.builder("counter-" + ProcessHandle.current().pid(), KvCodec.utf8()))
          .build());
      assertEquals(Optional.of(ConcurrentUpdates.EXPECTED), ConcurrentUpdates.increment(ns));
    }
  }
}
