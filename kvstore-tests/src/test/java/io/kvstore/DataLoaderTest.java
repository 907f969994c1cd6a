package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kvstore.internal.memory.InMemoryBackend;
import io.kvstore.testing.Workout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.MappedBatchLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GraphQL resolvers with the real {@code com.graphql-java:java-dataloader}: a
 * {@link MappedBatchLoader} is one line over {@code getAll} (one round trip per dispatch), and
 * without a loader, plain {@code get}s issued by the same resolvers are coalesced into a batch
 * too, with the same answers. The README's GraphQL snippet is this test.
 */
class DataLoaderTest {
  private KvStore store;
  private ObservedBackend backend;
  private KvNamespace<Workout> workouts;
  private final Map<String, Workout> data = Workout.program("user-42", 32);
  private final List<String> asked = new ArrayList<>(data.keySet());

  @BeforeEach
  void open() {
    InMemoryOptions options = InMemoryOptions.builder().build();
    backend = new ObservedBackend(new InMemoryBackend(options.clock()));
    store = KvStores.fromBackend(backend, options);
    workouts = store.namespace(NamespaceOptions.builder("workout", Workout.class).build());
    workouts.blocking().putAll(data);
    asked.add("user-42:w99:d1"); // not done yet: missing
    asked.add(asked.get(0));     // asked for twice, by two resolvers
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aMappedBatchLoaderIsOneLineOverGetAllAndOneRoundTripPerDispatch() {
    // The whole loader: missing keys are absent from getAll's map, which a mapped loader
    // turns into null for their callers.
    // tag::dataloader[]
    MappedBatchLoader<String, Workout> loader = keys -> workouts.getAll(keys);
    DataLoader<String, Workout> completions = DataLoaderFactory.newMappedDataLoader(loader);
    // end::dataloader[]

    KvRoundTrips.Recording r = KvRoundTrips.record(store, () -> {
      List<CompletableFuture<Workout>> resolved = asked.stream().map(completions::load).toList();
      completions.dispatch();
      CompletableFuture.allOf(resolved.toArray(CompletableFuture[]::new)).join();
      for (int i = 0; i < asked.size(); i++) {
        assertEquals(data.get(asked.get(i)), resolved.get(i).join(), asked.get(i));
      }
      assertNull(resolved.get(asked.indexOf("user-42:w99:d1")).join());
    });
    assertEquals(1, r.roundTrips());
    assertEquals(KvOperation.GET_ALL, r.operations().get(0).operation());
    assertEquals(33, r.operations().get(0).keyCount());
  }

  @Test
  void withoutALoaderThePlainGetsOfTheSameResolversAreCoalesced() {
    KvRoundTrips.Recording r = KvRoundTrips.record(store, () -> {
      // As a connection still writing would: the store sends nothing until all are issued.
      backend.holdReads();
      List<CompletableFuture<Optional<Workout>>> resolved =
          asked.stream().map(workouts::get).toList();
      backend.releaseReads();
      CompletableFuture.allOf(resolved.toArray(CompletableFuture[]::new)).join();
      for (int i = 0; i < asked.size(); i++) {
        assertEquals(Optional.ofNullable(data.get(asked.get(i))), resolved.get(i).join(),
            asked.get(i));
      }
    });
    // One batch of the 33 distinct keys: the loader's one round trip, with no loader to build
    // or dispatch (coalescing is on by default).
    assertEquals(1, r.roundTrips(), r::summary);
    assertEquals(List.of(33), backend.readSizes());
  }
}
