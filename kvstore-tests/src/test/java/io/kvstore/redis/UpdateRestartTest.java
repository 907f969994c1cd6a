package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvConflictException;
import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.UpdateOptions;
import io.kvstore.testing.ConcurrentUpdates;
import io.kvstore.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * No lost and no doubled updates across a Redis crash: {@link ConcurrentUpdates#THREADS} threads
 * x {@link ConcurrentUpdates#UPDATES_PER_THREAD} {@code update}s of one record, each adding its
 * own id, while the server is killed and started again once ({@link OneRestart}). The record
 * holds a count and the set of ids applied, so the test tells exactly which updates took effect:
 * every update that succeeded must be in the set, every id in the set must be one that succeeded
 * or one that failed with an unknown outcome (some of those were applied before the crash, some
 * not), and the count must equal the set's size (no update applied twice).
 */
class UpdateRestartTest {
  private static final HexFormat HEX = HexFormat.of();

  /** The record: {@code count:ids}, the ids applied as the hex of a bit set. */
  private record Applied(long count, BitSet ids) {
    static Applied parse(Optional<String> stored) {
      if (stored.isEmpty()) {
        return new Applied(0, new BitSet());
      }
      String[] parts = stored.get().split(":", 2);
      return new Applied(Long.parseLong(parts[0]), BitSet.valueOf(HEX.parseHex(parts[1])));
    }

    Optional<String> plus(int id) {
      BitSet next = (BitSet) ids.clone();
      next.set(id);
      return Optional.of((count + 1) + ":" + HEX.formatHex(next.toByteArray()));
    }
  }

  @Test
  void updatesAcrossARestartAreAppliedExactlyOnceOrNotAtAll() throws Exception {
    int threads = ConcurrentUpdates.THREADS;
    int perThread = ConcurrentUpdates.UPDATES_PER_THREAD;
    try (RedisServer server = RedisServer.start(OneRestart.DURABLE);
        KvStore store = RedisKvStore.connect(server.uri(), RedisKvOptions.builder()
            .timeout(Duration.ofSeconds(1)).build())) {
      KvNamespace<String> ns = store.namespace(
          NamespaceOptions.builder("updates", KvCodec.utf8()).build());
      UpdateOptions options = UpdateOptions.builder().maxAttempts(1000)
          .backoff(Duration.ZERO, Duration.ofMillis(5)).build();
      OneRestart restart = new OneRestart(server);
      BitSet succeeded = new BitSet();
      BitSet unknown = new BitSet();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(pool.submit(() -> {
            for (int i = 0; i < perThread; i++) {
              if (thread == 0 && i == perThread / 3) {
                restart.crashAndRestart();
              }
              int id = thread * perThread + i;
              try {
                ns.blocking().update("n", current -> Applied.parse(current).plus(id), options);
                synchronized (succeeded) {
                  succeeded.set(id);
                }
              } catch (KvConflictException lost) {
                throw lost;             // nothing written; 1000 attempts should never lose
              } catch (KvException failed) {
                synchronized (unknown) {
                  unknown.set(id);
                }
                restart.awaitRecovery(ns);
              }
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }

      Applied applied = Applied.parse(ns.blocking().get("n"));
      BitSet unknownApplied = (BitSet) applied.ids().clone();
      unknownApplied.andNot(succeeded);
      BitSet stray = (BitSet) unknownApplied.clone();
      stray.andNot(unknown);
      BitSet missing = (BitSet) succeeded.clone();
      missing.andNot(applied.ids());
      System.out.printf("UPDATES across a Redis restart: %d succeeded, %d failed with an unknown"
          + " outcome (%d of them applied), final count %d%n", succeeded.cardinality(),
          unknown.cardinality(), unknownApplied.cardinality(), applied.count());
      assertEquals(threads * perThread, succeeded.cardinality() + unknown.cardinality());
      assertTrue(unknown.cardinality() > 0, "the crash failed updates in flight or sent while down");
      assertEquals("{}", missing.toString(), "updates that succeeded but are not in the record");
      assertEquals("{}", stray.toString(), "ids in the record that never succeeded nor failed");
      assertEquals(applied.ids().cardinality(), applied.count(),
          "the count is the number of updates applied: none lost, none applied twice");
      assertEquals(succeeded.cardinality() + unknownApplied.cardinality(), applied.count());
    }
  }
}
