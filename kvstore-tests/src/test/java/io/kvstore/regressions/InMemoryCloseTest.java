package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvUnavailableException;
import io.kvstore.NamespaceOptions;
import io.kvstore.SimulatedEdge;
import io.kvstore.testing.Workout;
import io.kvstore.testkit.Awaits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Closing the embedded store while requests wait for a slot under the
 * concurrency cap, or for their simulated latency, completes every one of them, each with its
 * result or with {@link KvUnavailableException}, and wakes every blocked caller. The waits below
 * are bounds that turn a hang into a failure, never timing assertions.
 */
class InMemoryCloseTest {
  private static final long HANG_SECONDS = 30;

  private static KvNamespace<Workout> namespace(KvStore store) {
    return store.namespace(NamespaceOptions.builder("workout", Workout.class).build());
  }

  @Test
  void closeCompletesQueuedRequestsAndWakesBlockedCallers() throws Exception {
    KvStore store = KvStores.inMemory(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(Duration.ofMillis(50))
                .withMaxConcurrentRequests(2)).build());
    KvNamespace<Workout> ns = namespace(store);
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      puts.add(ns.put("k" + i, Workout.of("u", 1, 1)));
    }
    List<Thread> blocked = new ArrayList<>();
    List<Throwable> blockedOutcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < 2; i++) {
      String key = "blocked" + i;
      Thread t = new Thread(() -> {
        try {
          ns.blocking().put(key, Workout.of("u", 1, 1));
          blockedOutcomes.add(new AssertionError("queued put succeeded"));
        } catch (RuntimeException e) {
          blockedOutcomes.add(e);
        }
      });
      t.start();
      blocked.add(t);
    }
    for (Thread t : blocked) {
      awaitWaiting(t);
    }

    store.close();

    int failed = 0;
    for (CompletableFuture<Void> put : puts) {
      try {
        put.get(HANG_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        assertInstanceOf(KvUnavailableException.class, e.getCause());
        failed++;
      } catch (TimeoutException e) {
        fail("a put was left waiting after close()");
      }
    }
    // Two slots: at least the eight requests queued behind them never started.
    assertTrue(failed >= 8, failed + " of 10 failed");
    for (Thread t : blocked) {
      t.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
      assertEquals(Thread.State.TERMINATED, t.getState(), "a blocked put was left waiting");
    }
    assertEquals(2, blockedOutcomes.size());
    blockedOutcomes.forEach(e -> assertInstanceOf(KvUnavailableException.class, e));
  }

  @Test
  void putsRacingCloseFailOnlyWithUnavailable() throws Exception {
    for (int round = 0; round < 200; round++) {
      KvStore store = KvStores.inMemory(InMemoryOptions.builder()
          .simulatedEdge(SimulatedEdge.latency(Duration.ZERO, Duration.ofMillis(1))
                  .withMaxConcurrentRequests(2)).build());
      KvNamespace<Workout> ns = namespace(store);
      List<CompletableFuture<Void>> puts = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread writer = new Thread(() -> {
        for (int i = 0; i < 20; i++) {
          try {
            puts.add(ns.put("k" + i, Workout.of("u", 1, 1)));
          } catch (KvUnavailableException closed) {
            // Tolerated here: whether a call on a closed store throws is the contract suite's.
            puts.add(CompletableFuture.failedFuture(closed));
          }
        }
      });
      writer.start();
      Thread.onSpinWait();
      store.close();
      writer.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
      for (CompletableFuture<Void> put : puts) {
        try {
          put.get(HANG_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          assertInstanceOf(KvUnavailableException.class, e.getCause(), "round " + round);
        } catch (TimeoutException e) {
          fail("round " + round + ": a put was left waiting after close()");
        }
      }
    }
  }

  private static void awaitWaiting(Thread t) {
    Awaits.until("the blocking put to wait", () -> t.getState() == Thread.State.WAITING);
  }
}
