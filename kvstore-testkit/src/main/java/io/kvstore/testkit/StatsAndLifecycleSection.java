package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.KvNamespace;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.PutOptions;
import io.kvstore.testkit.KvStoreContract.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code KvStoreContract.StatsAndLifecycle}, run there as a {@code @Nested}
 * section on the contract's fixture: {@code stats()}, {@code ping()}, {@code close()} and
 * concurrent writers.
 */
abstract class StatsAndLifecycleSection extends ContractSection {
  @Test
  void statsCountOperationsRoundTripsAndKeysRead() {
    KvNamespace<Sample> ns = workouts();
    ns.blocking().putAll(workoutsOf("st", 10));
    var before = store.stats();
    ns.blocking().getAll(workoutsOf("st", 10).keySet());
    ns.blocking().get("st:none");
    var after = store.stats();
    assertEquals(2, after.operations() - before.operations());
    assertEquals(2, after.roundTrips() - before.roundTrips());
    assertEquals(11, after.keysRead() - before.keysRead());
  }

  @Test
  void pingAnswers() {
    store.ping().join();
  }

  /**
   * One rule for errors, so callers handle store failures in one place: after {@code close()}
   * every operation returns a future that fails with {@link KvUnavailableException} (a store
   * failure), while a bad argument still throws {@link KvValidationException} from the call
   * itself.
   */
  @Test
  void aClosedStoreFailsTheFutureAndBadArgumentsStillThrow() {
    KvNamespace<Sample> ns = workouts();
    Sample w = Sample.of("a", 1, 1);
    store.close();
    List<Callable<CompletableFuture<?>>> calls = List.of(
        () -> ns.get("k"), () -> ns.getAll(List.of("k")), () -> ns.getAllResults(List.of("k")),
        () -> ns.put("k", w), () -> ns.putIfAbsent("k", w, PutOptions.defaults()),
        () -> ns.putAll(Map.of("k", w)), () -> ns.delete("k"), () -> ns.deleteAll(List.of("k")),
        () -> ns.list(ListOptions.all()), () -> ns.listValues(ListOptions.all()),
        () -> ns.reindex(), () -> store.ping());
    for (Callable<CompletableFuture<?>> call : calls) {
      CompletableFuture<?> future = assertDoesNotThrow(call::call,
          "a closed store must fail the future, not the call");
      CompletionException e = assertThrows(CompletionException.class, future::join);
      assertInstanceOf(KvUnavailableException.class, e.getCause());
    }
    assertThrows(KvUnavailableException.class, () -> ns.blocking().get("k"));
    assertValidation("key", () -> ns.get(""));
    assertValidation("value", () -> ns.put("k", null));
    store.close();
  }

  @Test
  void concurrentWritersToDistinctKeysAllLand() throws Exception {
    KvNamespace<Sample> ns = workouts();
    int writers = 4;
    int perWriter = 50;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        int id = t;
        tasks.add(() -> {
          for (int i = 0; i < perWriter; i++) {
            ns.blocking().put("c" + id + ":" + i, Sample.of("c" + id, 1, 1));
          }
          return null;
        });
      }
      for (Future<Void> f : pool.invokeAll(tasks)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> keys = new ArrayList<>();
    for (int t = 0; t < writers; t++) {
      for (int i = 0; i < perWriter; i++) {
        keys.add("c" + t + ":" + i);
      }
    }
    assertEquals(writers * perWriter, ns.blocking().getAll(keys).size());
  }
}
