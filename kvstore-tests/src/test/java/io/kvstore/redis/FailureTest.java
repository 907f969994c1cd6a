package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvTimeoutException;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.NamespaceOptions;
import io.kvstore.testing.Workout;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisBinary;
import io.kvstore.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Failures become the right kvstore exception, quickly, and the store recovers by itself. Each
 * test starts and stops its own server. Bounds allow 150 ms for Netty's timer.
 */
class FailureTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private static KvStore connect(String uri) {
    return RedisKvStore.connect(uri, RedisKvOptions.builder().timeout(TIMEOUT)
        .connectTimeout(TIMEOUT).build());
  }

  @Test
  void malformedUrisAreValidationErrorsThatDoNotEchoThePassword() {
    KvValidationException e = assertThrows(KvValidationException.class,
        () -> RedisKvStore.connect("ftp://user:hunter2@localhost:6379"));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    KvUnavailableException unreachable = assertThrows(KvUnavailableException.class,
        () -> connect("redis://user:hunter2@localhost:notaport"));
    assertFalse(unreachable.getMessage().contains("hunter2"), unreachable.getMessage());
    assertThrows(KvValidationException.class, () -> RedisKvStore.connect(null));
    assertThrows(KvValidationException.class, () -> RedisKvStore.connectCluster(List.of()));
  }

  @Test
  void anUnreachableServerFailsConnectFast() throws Exception {
    int port;
    try (RedisServer server = RedisServer.start()) {
      port = server.port();
    }
    long start = System.nanoTime();
    assertThrows(KvUnavailableException.class, () -> connect("redis://127.0.0.1:" + port));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5000);
  }

  @Test
  void aKilledServerFailsCallsFastAndTheSameStoreRecoversAfterRestart() throws Exception {
    try (RedisServer server = RedisServer.start(); KvStore store = connect(server.uri())) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      ns.blocking().put("k", Workout.of("u", 1, 1));

      server.kill();
      CompletionException down = assertThrows(CompletionException.class,
          () -> ns.getAll(List.of("k")).join());
      assertTrue(down.getCause() instanceof KvUnavailableException
          || down.getCause() instanceof KvTimeoutException, down.getCause().toString());
      // While down, calls are rejected at once rather than queued.
      awaitRejection(ns);
      long start = System.nanoTime();
      assertThrows(KvUnavailableException.class, () -> ns.blocking().get("k"));
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 150,
          "rejected without waiting for the timeout");

      server.restart();
      awaitRecovery(ns);
      ns.blocking().put("k", Workout.of("v", 2, 2));
      assertEquals("v", ns.blocking().get("k").orElseThrow().user());
    }
  }

  private static void awaitRejection(KvNamespace<Workout> ns) {
    // A timeout means the connection is not known to be down yet: poll again.
    Awaits.until("calls to be rejected as unavailable",
        () -> assertThrows(KvUnavailableException.class, () -> ns.blocking().get("k")) != null);
  }

  private static void awaitRecovery(KvNamespace<Workout> ns) {
    Awaits.until("the store to recover after the restart", () -> ns.blocking().get("k") != null);
  }

  @Test
  void aStalledServerTimesOutWithinTheTimeoutAndWritesAreOutcomeUnknown() {
    try (RedisServer server = RedisServer.start(); KvStore store = connect(server.uri())) {
      KvNamespace<Workout> ns = store.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      ns.blocking().put("k", Workout.of("u", 1, 1));
      server.call("CLIENT", "PAUSE", "2000", "ALL");

      long start = System.nanoTime();
      KvTimeoutException read = assertThrows(KvTimeoutException.class,
          () -> ns.blocking().get("k"));
      long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertTrue(elapsed >= TIMEOUT.toMillis() - 50 && elapsed <= TIMEOUT.toMillis() + 150,
          "timed out after " + elapsed + " ms");
      assertFalse(read.outcomeUnknown());

      KvTimeoutException write = assertThrows(KvTimeoutException.class,
          () -> ns.blocking().put("k2", Workout.of("u", 1, 1)));
      assertTrue(write.outcomeUnknown());
      assertTrue(write.getMessage().contains("may still have been applied"), write.getMessage());
    }
  }

  @Test
  void theBinaryShippedWithEmbeddedRedisServesTheAdapter() {
    RedisBinary shipped = RedisBinary.shipped();
    try (RedisServer server = RedisServer.start(shipped, List.of());
        KvStore store = connect(server.uri())) {
      KvNamespace<Workout> ns = store.namespace(NamespaceOptions
          .builder("workout", Workout.class)
          .ttl(io.kvstore.TtlPolicy.sliding(Duration.ofMinutes(5))).build());
      ns.blocking().put("k", Workout.of("u", 1, 1));
      assertEquals(Optional.of(Workout.of("u", 1, 1)), ns.blocking().get("k"));
      assertTrue(shipped.version().startsWith("6."), shipped.version());
    }
  }
}
