package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.redis.RedisServer;
import io.kvstore.testing.Workout;
import org.junit.jupiter.api.Test;

/**
 * Which scripts a server has cached is remembered per store: a store opened on a new server
 * (here, a restart at the same address, which loses every script) must not believe an earlier
 * store's record and pay a NOSCRIPT retry on its first listing. Seen in CI as a listing of 64
 * values taking 3 round trips when a container's Redis took over a port another test's Redis had
 * used.
 */
class ScriptCacheScopeTest {
  @Test
  void aNewStoreOnANewServerAtTheSameAddressSendsItsScriptsInFull() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      try (KvStore first = RedisKvStore.connect(server.uri())) {
        listSixtyFour(first);
      }
      server.kill();
      server.restart();
      try (KvStore second = RedisKvStore.connect(server.uri())) {
        assertEquals(2, listSixtyFour(second), "one SCAN and one read of the values");
        assertEquals(0, server.commandCalls("evalsha"),
            "the first call of a script on a server this store never used goes as EVAL");
      }
    }
  }

  /** Writes 64 workouts and lists them with their values; returns the listing's round trips. */
  private static long listSixtyFour(KvStore store) {
    KvNamespace<Workout> ns = store.namespace(
        NamespaceOptions.builder("workout", Workout.class).build());
    ns.blocking().putAll(Workout.program("user-1", 64));
    return KvRoundTrips.count(store,
        () -> ns.blocking().listValues(ListOptions.prefix("user-1:").limit(100)));
  }
}
