package io.kvstore.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.testing.ConcurrentUpdates;
import io.kvstore.testkit.StoreFixture;
import io.kvstore.testkit.redis.RedisStoreFixture;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No lost updates: 8 threads each run 500 {@code update}s that increment one record, and the
 * record ends at exactly 4,000, on the embedded store (near cache off and on), one Redis server
 * and a Redis Cluster (indexed listing, near cache on: the index and the invalidations are kept
 * by the same conditional writes), with {@link ConcurrentUpdates}.
 */
@ExtendWith(SharedRedis.class)
@ParameterizedClass(name = "{0}")
@MethodSource("cells")
class UpdateConcurrencyTest {
  @Parameter
  StoreFixture cell;

  static List<StoreFixture> cells() {
    return List.of(new EmbeddedFixture(false, false), new EmbeddedFixture(false, true),
        RedisStoreFixture.server(SharedRedis::server).withListing(Listing.UNINDEXED)
            .withNearCache(false),
        RedisStoreFixture.cluster(SharedRedis::cluster).withListing(Listing.INDEXED)
            .withNearCache(true));
  }

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
