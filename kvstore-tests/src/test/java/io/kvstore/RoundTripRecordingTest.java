package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.testing.Workout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link KvRoundTrips#record} sees exactly the operations of its block and names them. */
class RoundTripRecordingTest {
  private KvStore store;
  private KvNamespace<Workout> workouts;
  private KvNamespace<Workout> plans;
  private final List<String> keys = new ArrayList<>();

  @BeforeEach
  void open() {
    store = KvStores.inMemory();
    workouts = store.namespace(NamespaceOptions.builder("workout", Workout.class).build());
    plans = store.namespace(NamespaceOptions.builder("plan", Workout.class).build());
    Map<String, Workout> data = new LinkedHashMap<>();
    for (int i = 0; i < 64; i++) {
      Workout w = Workout.of("user-42", 1 + i / 4, 1 + i % 4);
      data.put(w.key(), w);
      keys.add(w.key());
    }
    workouts.blocking().putAll(data);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void recordsEveryOperationOfTheBlockAndSummarisesThem() {
    KvRoundTrips.Recording r = KvRoundTrips.record(store, () -> {
      plans.blocking().getAll(keys);
      keys.forEach(k -> workouts.blocking().get(k));
    });
    assertEquals(65, r.operations().size());
    assertEquals(KvOperation.GET_ALL, r.operations().get(0).operation());
    assertEquals("plan", r.operations().get(0).namespace());
    assertEquals(65, r.roundTrips());
    assertEquals("64 x get on namespace 'workout' (64 round trips),"
        + " 1 x getAll on namespace 'plan' (1 round trip)", r.summary());
  }

  @Test
  void seesNothingBeforeOrAfterItsBlockEvenWhenTheBlockThrows() {
    workouts.blocking().get(keys.get(0));
    List<KvRoundTrips.Recording> kept = new ArrayList<>();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> kept.add(KvRoundTrips.record(store, () -> {
          workouts.blocking().get(keys.get(1));
          throw new IllegalStateException("boom");
        })));
    assertEquals("boom", e.getMessage());
    KvRoundTrips.Recording after = KvRoundTrips.record(store, () -> store.ping().join());
    workouts.blocking().get(keys.get(2));
    assertEquals("1 x ping (1 round trip)", after.summary());
    assertEquals(List.of(), kept);
    assertEquals("no operations", KvRoundTrips.record(store, () -> { }).summary());
  }

  @Test
  void assertAtMostNamesTheOperationsOverBudget() {
    assertEquals(1, KvRoundTrips.assertAtMost(store, 2, () -> workouts.blocking().getAll(keys)));
    AssertionError e = assertThrows(AssertionError.class, () -> KvRoundTrips.assertAtMost(
        store, 2, () -> keys.forEach(k -> workouts.blocking().get(k))));
    assertEquals("expected at most 2 round trips, but the block made 64:"
        + " 64 x get on namespace 'workout' (64 round trips);"
        + " batch single reads with getAll or listValues (gets awaited one at a time cannot be"
        + " coalesced)", e.getMessage());

    AssertionError pages = assertThrows(AssertionError.class, () -> KvRoundTrips.assertAtMost(
        store, 1, () -> {
          workouts.blocking().listValues(ListOptions.prefix("user-42:").limit(32));
          workouts.blocking().listValues(ListOptions.prefix("user-42:w09"));
        }));
    assertEquals("expected at most 1 round trips, but the block made 2:"
        + " 2 x listValues on namespace 'workout' (2 round trips)", pages.getMessage());
  }

  @Test
  void parallelGetsAreRecordedOneByOne() {
    KvRoundTrips.Recording r = KvRoundTrips.record(store, () -> CompletableFuture.allOf(
        keys.stream().map(workouts::get).toArray(CompletableFuture[]::new)).join());
    assertEquals(64, r.roundTrips());
    assertEquals(64, r.operations().stream()
        .filter(op -> op.operation() == KvOperation.GET && op.found() == 1).count());
  }

  @Test
  void anyStoreCanBeCountedAndRecordedThroughItsPublicApi() {
    KvStore decorator = new KvStore() {
      @Override
      public <V> KvNamespace<V> namespace(NamespaceOptions<V> options) {
        return store.namespace(options);
      }

      @Override
      public CompletableFuture<Void> ping() {
        return store.ping();
      }

      @Override
      public KvStats stats() {
        return store.stats();
      }

      @Override
      public Subscription listen(KvListener listener) {
        return store.listen(listener);
      }

      @Override
      public void close() {
        store.close();
      }
    };
    assertEquals(1, KvRoundTrips.count(decorator, () -> decorator.ping().join()));
    KvRoundTrips.Recording r = KvRoundTrips.record(decorator, () -> decorator.ping().join());
    assertEquals(1, r.roundTrips());
    assertEquals(KvOperation.PING, r.operations().get(0).operation());
    KvRoundTrips.record(decorator, () -> { });
    assertEquals(1, r.operations().size(), "a finished recording no longer listens");
    assertThrows(KvValidationException.class, () -> KvRoundTrips.record(null, () -> { }));
    assertThrows(KvValidationException.class, () -> KvRoundTrips.record(store, null));
  }
}
