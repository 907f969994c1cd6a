package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.testkit.redis.RedisExtension;
import io.kvstore.testing.Workout;
import io.kvstore.testing.JulCapture;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * One rule for errors, so callers handle bad arguments in one place: an argument error the Redis adapter finds (a prefix that spans
 * partitions, a partition function that returns null or throws, a SCAN cursor on an indexed
 * namespace, {@code reindex} of a SCAN namespace) throws {@link KvValidationException} from the
 * asynchronous call itself, as the namespace's own checks do, never as a failed future; and
 * nothing reaches the server.
 */
class ArgumentErrorTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  private KvStore store;

  @BeforeEach
  void open() {
    REDIS.flushAll();
    store = RedisKvStore.connect(REDIS.uri());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private KvNamespace<Workout> namespace(String name, Listing listing, boolean nearCache) {
    return store.namespace(NamespaceOptions.builder(name, Workout.class).listing(listing)
        .nearCache(nearCache ? NearCacheOptions.builder().build() : null).build());
  }

  /** Asserts that the call itself throws, naming the argument, and sends nothing. */
  private void assertThrowsFromTheCall(String argument, Executable call) {
    long trips = KvRoundTrips.count(store, () -> {
      KvValidationException e = assertThrows(KvValidationException.class, call);
      assertEquals(argument, e.argument(), e.getMessage());
    });
    assertEquals(0, trips, "nothing may be sent");
  }

  @Test
  void aPrefixSpanningPartitionsThrowsFromTheCall() {
    KvNamespace<Workout> ns = namespace("workout", Listing.indexedBy(Listing.firstSegment(':')),
        false);
    assertThrowsFromTheCall("prefix", () -> ns.list(ListOptions.prefix("user-4")));
    assertThrowsFromTheCall("prefix", () -> ns.listValues(ListOptions.prefix("")));
  }

  @Test
  void aPartitionFunctionThatFailsThrowsFromTheCall() {
    // The near-cached reads fail inside Caffeine's loader: Caffeine must log nothing of it.
    try (JulCapture caffeine = new JulCapture("com.github.benmanes.caffeine")) {
      assertEachOperationThrowsOnABrokenPartitionFunction();
      assertEquals(List.of(), caffeine.messages());
    }
  }

  private void assertEachOperationThrowsOnABrokenPartitionFunction() {
    Workout w = Workout.of("u", 1, 1);
    Function<String, String> throwing = key -> {
      throw new IllegalStateException("no partition");
    };
    for (Function<String, String> broken : List.of(key -> null, throwing)) {
      for (boolean nearCache : List.of(false, true)) {
        KvNamespace<Workout> ns = namespace("broken", Listing.indexedBy(broken), nearCache);
        assertThrowsFromTheCall("listing", () -> ns.put("k", w));
        assertThrowsFromTheCall("listing", () -> ns.putAll(Map.of("k", w)));
        assertThrowsFromTheCall("listing", () -> ns.get("k"));
        assertThrowsFromTheCall("listing", () -> ns.getAll(List.of("k")));
        assertThrowsFromTheCall("listing", () -> ns.delete("k"));
        assertThrowsFromTheCall("listing", () -> ns.list(ListOptions.prefix("k")));
      }
    }
  }

  @Test
  void aScanCursorOnAnIndexedNamespaceThrowsFromTheCall() {
    KvNamespace<Workout> scan = namespace("mix", Listing.UNINDEXED, false);
    for (int i = 0; i < 8; i++) {
      scan.blocking().put("m:" + i, Workout.of("m", 1, 1));
    }
    String cursor = scan.blocking().list(ListOptions.prefix("m:").limit(2)).cursor().orElseThrow();
    KvNamespace<Workout> indexed = namespace("mix", Listing.INDEXED, false);
    assertThrowsFromTheCall("cursor", () -> indexed.list(ListOptions.prefix("m:")
        .cursor(cursor)));
    assertThrowsFromTheCall("listing", scan::reindex);
  }
}
