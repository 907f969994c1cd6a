package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.redis.RedisExtension;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Argument errors that only an indexed namespace can detect are thrown by the call itself, as
 * every other argument error, never handed back as a failed future: a SCAN cursor used on an
 * indexed namespace, a prefix that spans partitions, and a partition function that returns null
 * or throws. On one server and on Cluster.
 */
class IndexedValidationFromTheCallTest {
  @RegisterExtension
  static final RedisExtension SERVER = RedisExtension.server();

  @RegisterExtension
  static final RedisExtension CLUSTER = RedisExtension.cluster();

  private static KvStore open(boolean cluster) {
    return cluster ? RedisKvStore.connectCluster(CLUSTER.clusterUris())
        : RedisKvStore.connect(SERVER.uri());
  }

  private static KvNamespace<String> namespace(KvStore store, String name, Listing listing) {
    return store.namespace(NamespaceOptions.builder(name, KvCodec.utf8()).listing(listing)
        .build());
  }

  @ParameterizedTest(name = "cluster={0}")
  @ValueSource(booleans = {false, true})
  void aScanCursorOnAnIndexedNamespaceIsRejectedByTheCall(boolean cluster) {
    try (KvStore scan = open(cluster); KvStore indexed = open(cluster)) {
      KvNamespace<String> before = namespace(scan, "moving", Listing.UNINDEXED);
      before.blocking().putAll(Map.of("a:1", "1", "a:2", "2", "a:3", "3"));
      String cursor = before.blocking().list(ListOptions.prefix("a:").limit(1)).cursor().orElseThrow();
      assertNotNull(cursor);
      KvNamespace<String> after = namespace(indexed, "moving", Listing.INDEXED);
      assertThrows(KvValidationException.class,
          () -> after.list(ListOptions.prefix("a:").limit(1).cursor(cursor)));
      assertThrows(KvValidationException.class,
          () -> after.listValues(ListOptions.prefix("a:").limit(1).cursor(cursor)));
    }
  }

  @ParameterizedTest(name = "cluster={0}")
  @ValueSource(booleans = {false, true})
  void aPrefixSpanningPartitionsIsRejectedByTheCall(boolean cluster) {
    try (KvStore store = open(cluster)) {
      KvNamespace<String> ns = namespace(store, "users",
          Listing.indexedBy(Listing.firstSegment(':')));
      KvValidationException e = assertThrows(KvValidationException.class,
          () -> ns.list(ListOptions.prefix("user-4")));
      assertTrue(e.getMessage().contains("partition"), e.getMessage());
      assertThrows(KvValidationException.class, () -> ns.listValues(ListOptions.prefix("user-4")));
    }
  }

  @ParameterizedTest(name = "cluster={0}")
  @ValueSource(booleans = {false, true})
  void aPartitionFunctionThatFailsIsRejectedByTheCall(boolean cluster) {
    Function<String, String> returnsNull = key -> null;
    Function<String, String> throwing = key -> {
      throw new IllegalStateException("no partition for " + key);
    };
    try (KvStore store = open(cluster)) {
      for (Function<String, String> partition : List.of(returnsNull, throwing)) {
        KvNamespace<String> ns = namespace(store, "broken", Listing.indexedBy(partition));
        assertThrows(KvValidationException.class, () -> ns.put("k", "v"));
        assertThrows(KvValidationException.class, () -> ns.putAll(Map.of("k", "v")));
        assertThrows(KvValidationException.class, () -> ns.get("k"));
        assertThrows(KvValidationException.class, () -> ns.getAll(List.of("k")));
        assertThrows(KvValidationException.class, () -> ns.delete("k"));
        assertThrows(KvValidationException.class, () -> ns.deleteAll(List.of("k")));
        assertThrows(KvValidationException.class, () -> ns.list(ListOptions.prefix("k")));
      }
    }
  }
}
