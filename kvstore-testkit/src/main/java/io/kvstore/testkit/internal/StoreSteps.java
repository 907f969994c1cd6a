package io.kvstore.testkit.internal;

import static io.kvstore.testkit.internal.ModelInputs.show;
import static io.kvstore.testkit.internal.ModelSteps.GUARD;
import static io.kvstore.testkit.internal.ModelSteps.await;
import static io.kvstore.testkit.internal.ModelSteps.causes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvstore.KvNamespace;
import io.kvstore.KvUnavailableException;
import io.kvstore.ListOptions;
import io.kvstore.PutOptions;
import io.kvstore.testkit.internal.ModelChecker.Run;
import io.kvstore.testkit.internal.ModelSteps.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The steps on the namespace or store as a whole: {@code reindex()}, the migration of an
 * unindexed namespace to an index with writes in flight, and {@code close()} with writes in
 * flight.
 */
final class StoreSteps {
  private StoreSteps() {}

  /**
   * {@code reindex()}: on an indexed namespace the count of live keys, on a store that lists in
   * order without an index 0 at once.
   */
  record Reindex() implements Step {
    @Override
    public boolean appliesTo(Run run) {
      return run.checker().reindexes(run);
    }

    @Override
    public void run(Run run) {
      long count = await(run.ns.reindex(), toString());
      long expected = run.checker().buildsIndexes() ? run.model.live("").size() : 0;
      assertEquals(expected, count, () -> this + " returned " + count);
    }

    @Override
    public String toString() {
      return "reindex()";
    }
  }

  /**
   * Opens the namespace again with the fixture's indexed listing over the data written under
   * SCAN, deletes and writes through it before {@code reindex()}, runs {@code reindex()} with
   * more deletes and writes in flight, and goes on with the indexed namespace. What the
   * application deleted or wrote through the indexed namespace must stay as it left it; every
   * other key must be migrated with its value and expiry. Results of those deletes are not
   * checked: whether a key not yet migrated counts as existing is not specified.
   */
  record Migrate(List<String> deleteBefore, Map<String, ModelInputs.Value> putBefore,
      List<String> deleteDuring, Map<String, ModelInputs.Value> putDuring) implements Step {
    @Override
    public boolean appliesTo(Run run) {
      return !run.migrated && run.checker().migratesTo() != null;
    }

    @Override
    public void run(Run run) {
      run.listing = run.checker().migratesTo();
      run.ns = run.store.namespace(run.options(run.listing, run.nearCache));
      run.migrated = true;
      for (String k : deleteBefore) {
        await(run.ns.delete(k), this + ": delete before reindex");
        run.model.delete(k);
      }
      putBefore.forEach((k, v) -> {
        await(run.ns.put(k, v.bytes()), this + ": put before reindex");
        run.model.put(k, v, null, false);
      });
      CompletableFuture<Long> reindex = run.ns.reindex();
      List<CompletableFuture<?>> during = new ArrayList<>();
      for (String k : deleteDuring) {
        if (!putDuring.containsKey(k)) {
          during.add(run.ns.delete(k));
          run.model.delete(k);
        }
      }
      putDuring.forEach((k, v) -> {
        during.add(run.ns.put(k, v.bytes()));
        run.model.put(k, v, null, false);
      });
      long count = await(reindex, this + ": reindex()");
      during.forEach(f -> await(f, this + ": write during reindex"));
      if (during.isEmpty()) {
        long expected = run.model.live("").size();
        assertEquals(expected, count, () -> this + ": reindex() returned " + count);
      }
    }

    @Override
    public String toString() {
      return "migrate(delete " + show(deleteBefore) + ", put " + showMap(putBefore)
          + ", reindex() while deleting " + show(deleteDuring) + ", putting "
          + showMap(putDuring) + ")";
    }

    private static String showMap(Map<String, ModelInputs.Value> map) {
      List<String> parts = new ArrayList<>();
      map.forEach((k, v) -> parts.add(show(k) + "=" + v));
      return parts.toString();
    }
  }

  /**
   * The last step: {@code inFlight} writes left in flight, then {@code close()}. Every write in
   * flight must complete (either way), and every later call must fail its future with
   * {@link KvUnavailableException}, never throw nor hang (KvStore.close, KvNamespace).
   */
  record Close(int inFlight, String key, ModelInputs.Value value) implements Step {
    @Override
    public void run(Run run) {
      List<CompletableFuture<Void>> pending = new ArrayList<>();
      for (int i = 0; i < inFlight; i++) {
        pending.add(run.ns.put("in-flight-" + i, value.bytes()));
        run.model.touched().add("in-flight-" + i);
      }
      run.store.close();
      run.closed = true;
      // One deadline for all of them: requests queued behind each other must not add up.
      try {
        CompletableFuture.allOf(pending.stream().map(f -> f.exceptionally(e -> null))
            .toArray(CompletableFuture[]::new)).get(GUARD.toSeconds(), TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        fail(this + ": " + pending.stream().filter(f -> !f.isDone()).count() + " of " + inFlight
            + " writes in flight at close() never completed");
      } catch (ExecutionException | InterruptedException e) {
        throw new AssertionError(e);
      }
      for (CompletableFuture<Void> f : pending) {
        try {
          f.join();
        } catch (CompletionException e) {
          if (!(e.getCause() instanceof KvUnavailableException)) {
            throw new AssertionError(this + ": a write in flight failed with "
                + causes(e.getCause()), e.getCause());
          }
        }
      }
      KvNamespace<byte[]> ns = run.ns;
      unavailable("get", () -> ns.get(key));
      unavailable("getAll", () -> ns.getAll(List.of(key)));
      unavailable("getAllResults", () -> ns.getAllResults(List.of(key)));
      unavailable("put", () -> ns.put(key, value.bytes()));
      unavailable("putIfAbsent", () -> ns.putIfAbsent(key, value.bytes(), PutOptions.defaults()));
      unavailable("putAll", () -> ns.putAll(Map.of(key, value.bytes())));
      unavailable("delete", () -> ns.delete(key));
      unavailable("deleteAll", () -> ns.deleteAll(List.of(key)));
      unavailable("list", () -> ns.list(ListOptions.all()));
      unavailable("listValues", () -> ns.listValues(ListOptions.all()));
      if (run.checker().reindexes(run)) {
        unavailable("reindex", ns::reindex);
      }
      try {
        ns.blocking().get(key);
        fail(this + ": blocking get after close() returned");
      } catch (KvUnavailableException expected) {
        // as documented
      }
    }

    private void unavailable(String verb, Supplier<CompletableFuture<?>> call) {
      CompletableFuture<?> future;
      try {
        future = call.get();
      } catch (RuntimeException e) {
        throw new AssertionError(this + ": " + verb + " after close() threw " + e
            + " from the call; a closed store must fail the future", e);
      }
      try {
        future.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        fail(this + ": " + verb + " after close() succeeded");
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof KvUnavailableException)) {
          throw new AssertionError(this + ": " + verb + " after close() failed with "
              + causes(e.getCause()), e.getCause());
        }
      } catch (TimeoutException e) {
        fail(this + ": " + verb + " after close() never completed");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    @Override
    public String toString() {
      return "close() with " + inFlight + " puts in flight";
    }
  }
}
