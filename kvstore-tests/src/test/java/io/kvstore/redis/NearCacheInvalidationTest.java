package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.testing.Workout;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two stores on one Redis, both with a near cache on the same namespace and kvstore's pub/sub as
 * the only invalidation source ({@code serverTracking(false)}; the server's own is {@link
 * ServerTrackingTest}'s): a write through B is seen through A within the invalidation bound,
 * also after A's invalidation connection was killed.
 * Waits poll in 10 ms steps and never longer than the bound.
 */
class NearCacheInvalidationTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  /** The staleness bound these tests hold the near cache to: well under expireAfterWrite. */
  private static final Duration BOUND = Duration.ofSeconds(2);

  private KvStore a;
  private KvStore b;
  private KvNamespace<Workout> nsA;
  private KvNamespace<Workout> nsB;

  @BeforeEach
  void open() {
    REDIS.flushAll();
    // The pub/sub source alone: server tracking would tell A of each write a second time.
    RedisKvOptions pubSubOnly = RedisKvOptions.builder().serverTracking(false).build();
    a = RedisKvStore.connect(REDIS.uri(), pubSubOnly);
    b = RedisKvStore.connect(REDIS.uri(), pubSubOnly);
    NamespaceOptions<Workout> options = NamespaceOptions.builder("workout", Workout.class)
        .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(10)).build())
        .build();
    nsA = a.namespace(options);
    nsB = b.namespace(options);
    awaitTrue(() -> subscribers() == 2, "both stores subscribed");
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  private static long subscribers() {
    Object reply = REDIS.process().call("PUBSUB", "NUMSUB", "kvstore:invalidate:workout");
    return (Long) ((java.util.List<?>) reply).get(1);
  }

  private static void awaitTrue(Supplier<Boolean> condition, String what) {
    Awaits.until(what, BOUND, condition::get);
  }

  private String userSeenByA(String key) {
    return nsA.blocking().get(key).map(Workout::user).orElse("missing");
  }

  @Test
  void aWriteThroughBIsSeenThroughAsNearCacheWithinTheBound() {
    nsB.blocking().put("k", Workout.of("v1", 1, 1));
    // B's write is announced to A too; let it arrive before A caches, or it would (rightly)
    // drop the entry A is about to cache.
    awaitTrue(() -> a.stats().invalidationsReceived() == 1, "A hearing of B's first write");
    assertEquals("v1", userSeenByA("k"));
    assertEquals(0, KvRoundTrips.count(a, () -> assertEquals("v1", userSeenByA("k"))),
        "A serves k from its near cache");

    nsB.blocking().put("k", Workout.of("v2", 1, 1));
    awaitTrue(() -> userSeenByA("k").equals("v2"), "A seeing v2");
    for (int i = 0; i < 20; i++) {
      assertEquals("v2", userSeenByA("k"), "A never goes back to the old value");
    }
    assertTrue(a.stats().invalidationsReceived() >= 2);

    nsB.blocking().delete("k");
    awaitTrue(() -> userSeenByA("k").equals("missing"), "A seeing the delete");
  }

  @Test
  void aBatchWriteIsOneInvalidationMessageInTheSameRoundTrip() {
    Map<String, Workout> batch = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      batch.put("b" + i, Workout.of("u" + i, 1, 1));
    }
    nsA.blocking().getAll(batch.keySet());
    long publishes = publishCalls();
    assertEquals(1, KvRoundTrips.count(b, () -> nsB.blocking().putAll(batch)));
    assertEquals(1, publishCalls() - publishes);
    awaitTrue(() -> nsA.blocking().getAll(batch.keySet()).size() == 100,
        "A seeing the 100 new keys");
  }

  private static long publishCalls() {
    String stats = (String) REDIS.process().call("INFO", "commandstats");
    return stats.lines().filter(l -> l.startsWith("cmdstat_publish:")).findFirst()
        .map(l -> Long.parseLong(l.replaceAll("^cmdstat_publish:calls=(\\d+),.*", "$1")))
        .orElse(0L);
  }

  @Test
  void afterItsInvalidationConnectionIsKilledANearCacheNeverServesAMissedWrite() {
    nsB.blocking().put("k", Workout.of("v1", 1, 1));
    assertEquals("v1", userSeenByA("k"));

    REDIS.process().call("CLIENT", "KILL", "TYPE", "pubsub");
    // Written while the subscriptions are down: the message is lost, so A must drop its cache.
    nsB.blocking().put("k", Workout.of("v2", 1, 1));
    awaitTrue(() -> userSeenByA("k").equals("v2"), "A seeing the write made while it was deaf");

    awaitTrue(() -> subscribers() == 2, "both stores resubscribed");
    assertEquals("v2", userSeenByA("k"));
    nsB.blocking().put("k", Workout.of("v3", 1, 1));
    awaitTrue(() -> userSeenByA("k").equals("v3"), "A seeing a write after the reconnect");
  }
}
