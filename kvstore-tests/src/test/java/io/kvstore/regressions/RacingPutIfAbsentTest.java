package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Of several {@code putIfAbsent}s of one absent key released at once, exactly one reports that
 * it wrote. The embedded store once said so for two: its map may run a write's function again
 * when another write raced it, and the first run's "applied" stayed set.
 */
class RacingPutIfAbsentTest {
  private static final int THREADS = 4;
  private static final int KEYS = 2_000;

  @Test
  void exactlyOneOfRacingPutIfAbsentsWrites() throws Exception {
    AtomicIntegerArray wins = new AtomicIntegerArray(KEYS);
    CyclicBarrier together = new CyclicBarrier(THREADS);
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try (KvStore store = KvStores.inMemory()) {
      KvNamespace<String> ns = store.namespace(NamespaceOptions.builder("race", KvCodec.utf8())
          .build());
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        String value = "t" + t;
        done.add(threads.submit(() -> {
          for (int k = 0; k < KEYS; k++) {
            together.await(10, TimeUnit.SECONDS);
            if (ns.blocking().putIfAbsent("k" + k, value, PutOptions.defaults())) {
              wins.incrementAndGet(k);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    for (int k = 0; k < KEYS; k++) {
      assertEquals(1, wins.get(k), "putIfAbsent calls that reported a write of k" + k);
    }
  }
}
