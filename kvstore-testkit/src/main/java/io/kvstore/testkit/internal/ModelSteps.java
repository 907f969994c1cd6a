package io.kvstore.testkit.internal;

import static io.kvstore.testkit.internal.ModelInputs.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvstore.KvEntry;
import io.kvstore.KvKey;
import io.kvstore.KvNamespace;
import io.kvstore.KvPage;
import io.kvstore.KvResult;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.PutOptions;
import io.kvstore.testkit.internal.ModelChecker.Run;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The steps of a model-based sequence. Each is a record of its inputs whose {@code toString()} is
 * how it reads in a shrunk counterexample ({@code put("a:0", v3[12B], ttl=none)}), and whose
 * {@link Step#run} applies it to the store and to the model and checks that they agree.
 */
final class ModelSteps {
  /**
   * How long any call may take before the caller counts as left waiting: a hang guard, not a
   * performance check, well above the Redis adapter's default command timeout (2 s).
   */
  private static final Duration GUARD = Duration.ofSeconds(5);

  /** More pages than any walk of this suite's keyspaces needs: a walk that goes on is stuck. */
  private static final int MAX_PAGES = 5_000;

  private ModelSteps() {}

  /** One step of a sequence. */
  interface Step {
    /** Applies the step to the store and the model, failing with an AssertionError if they disagree. */
    void run(Run run);

    /** Whether the step can run in this state (a replay while shrinking skips it otherwise). */
    default boolean appliesTo(Run run) {
      return true;
    }
  }

  /** Waits for a store call, failing the step if it fails or leaves the caller waiting. */
  static <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(GUARD.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not complete within " + GUARD
          + ": the caller is left waiting");
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed: " + causes(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(what + " interrupted", e);
    }
  }

  /** An exception and its causes on one line, so a counterexample shows where it came from. */
  static String causes(Throwable e) {
    StringBuilder s = new StringBuilder(String.valueOf(e));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      StackTraceElement[] at = c.getStackTrace();
      s.append(" <- ").append(c).append(at.length > 0 ? " at " + at[0] : "");
    }
    return s.toString();
  }

  private static void assertValue(Optional<ModelInputs.Value> expected, Optional<byte[]> actual,
      String what) {
    if (expected.isEmpty()) {
      assertTrue(actual.isEmpty(), () -> what + ": expected no value, got "
          + ModelInputs.Value.describe(actual.get()));
    } else {
      assertTrue(actual.isPresent(), () -> what + ": expected " + expected.get() + ", got none");
      assertTrue(expected.get().matches(actual.get()), () -> what + ": expected "
          + expected.get() + ", got " + ModelInputs.Value.describe(actual.get()));
    }
  }

  private static void assertExpiration(Run run, String key, Optional<Instant> actual,
      String what) {
    Optional<Instant> expected = run.model.entry(key).map(KvModel.Entry::expiresAt);
    Duration tolerance = run.checker().expirationTolerance();
    boolean ok = expected.isPresent() == actual.isPresent() && (expected.isEmpty()
        || Duration.between(expected.get(), actual.get()).abs().compareTo(tolerance) <= 0);
    assertTrue(ok, () -> what + ": key " + show(key) + " expires at " + actual.orElse(null)
        + ", the model says " + expected.orElse(null));
  }

  /** Distinct keys in first-seen order, as batch reads and deletes treat duplicates. */
  private static List<String> distinct(List<String> keys) {
    return new ArrayList<>(new LinkedHashSet<>(keys));
  }

  // ---------------------------------------------------------------- writes

  /** {@code put(key, value, options)}, or with {@code ifAbsent()} on the options. */
  record Put(String key, ModelInputs.Value value, ModelInputs.Ttl ttl, boolean ifAbsent)
      implements Step {
    @Override
    public void run(Run run) {
      Instant now = run.model.now();
      PutOptions options = ttl.options(now);
      byte[] bytes = value.bytes();
      await(run.ns.put(key, bytes, ifAbsent ? options.ifAbsent() : options), toString());
      // The caller owns its array again once the write completed.
      ModelInputs.scribble(bytes);
      run.model.put(key, value, ttl.expiry(now, run.model.entry(key)), ifAbsent);
    }

    @Override
    public String toString() {
      return "put(" + show(key) + ", " + value + ", " + ttl + (ifAbsent ? ", ifAbsent" : "") + ")";
    }
  }

  /** {@code putIfAbsent(key, value, options)}: must tell whether it wrote. */
  record PutIfAbsent(String key, ModelInputs.Value value, ModelInputs.Ttl ttl) implements Step {
    @Override
    public void run(Run run) {
      Instant now = run.model.now();
      byte[] bytes = value.bytes();
      boolean written = await(run.ns.putIfAbsent(key, bytes, ttl.options(now)), toString());
      ModelInputs.scribble(bytes);
      boolean expected = run.model.put(key, value, ttl.expiry(now, run.model.entry(key)), true);
      assertEquals(expected, written, () -> this + " returned " + written);
    }

    @Override
    public String toString() {
      return "putIfAbsent(" + show(key) + ", " + value + ", " + ttl + ")";
    }
  }

  /** {@code putAll(entries[, options])}. */
  record PutAll(Map<String, ModelInputs.Value> entries, ModelInputs.Ttl ttl, boolean ifAbsent)
      implements Step {
    @Override
    public void run(Run run) {
      Instant now = run.model.now();
      Map<String, byte[]> batch = new LinkedHashMap<>();
      entries.forEach((k, v) -> batch.put(k, v.bytes()));
      PutOptions options = ttl.options(now);
      if (ttl.kind() == ModelInputs.Ttl.Kind.DEFAULT && !ifAbsent) {
        await(run.ns.putAll(batch), toString());
      } else {
        await(run.ns.putAll(batch, ifAbsent ? options.ifAbsent() : options), toString());
      }
      batch.values().forEach(ModelInputs::scribble);
      entries.forEach((k, v) -> run.model.put(k, v, ttl.expiry(now, run.model.entry(k)),
          ifAbsent));
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("putAll({");
      entries.forEach((k, v) -> s.append(s.length() > 8 ? ", " : "").append(show(k))
          .append('=').append(v));
      return s.append("}, ").append(ttl).append(ifAbsent ? ", ifAbsent" : "").append(')')
          .toString();
    }
  }

  /**
   * {@code putAll} of {@code count} keys {@code prefix#0 .. prefix#n} in one batch: volume for
   * listing walks, so SCAN replies overflow pages and cursors carry (long) leftover keys.
   */
  record BulkPut(String prefix, int count, ModelInputs.Value value) implements Step {
    @Override
    public void run(Run run) {
      Map<String, byte[]> batch = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        batch.put(prefix + "#" + i, valueOf(i).bytes());
      }
      await(run.ns.putAll(batch), toString());
      for (int i = 0; i < count; i++) {
        run.model.put(prefix + "#" + i, valueOf(i), null, false);
      }
    }

    private ModelInputs.Value valueOf(int i) {
      return new ModelInputs.Value(value.id() + i, value.length());
    }

    @Override
    public String toString() {
      return "putAll(" + count + " keys " + show(prefix + "#0") + ".." + show(prefix + "#"
          + (count - 1)) + ", " + value + "..)";
    }
  }

  /** {@code delete(key)}: must tell whether the key existed. */
  record Delete(String key) implements Step {
    @Override
    public void run(Run run) {
      boolean existed = await(run.ns.delete(key), toString());
      boolean expected = run.model.delete(key);
      assertEquals(expected, existed, () -> this + " returned " + existed);
    }

    @Override
    public String toString() {
      return "delete(" + show(key) + ")";
    }
  }

  /** {@code deleteAll(keys)}: must count the distinct keys that existed. */
  record DeleteAll(List<String> keys) implements Step {
    @Override
    public void run(Run run) {
      long count = await(run.ns.deleteAll(keys), toString());
      long expected = distinct(keys).stream().filter(run.model::delete).count();
      assertEquals(expected, count, () -> this + " returned " + count);
    }

    @Override
    public String toString() {
      return "deleteAll(" + show(keys) + ")";
    }
  }

  // ---------------------------------------------------------------- reads

  /** {@code get(key)}; the caller then scribbles over the array it got. */
  record Get(String key) implements Step {
    @Override
    public void run(Run run) {
      Optional<byte[]> got = await(run.ns.get(key), toString());
      assertValue(run.model.get(key), got, toString());
      got.ifPresent(ModelInputs::scribble);
    }

    @Override
    public String toString() {
      return "get(" + show(key) + ")";
    }
  }

  /** {@code getAll(keys)}: the live keys, in the order asked, each once; then scribbles. */
  record GetAll(List<String> keys) implements Step {
    @Override
    public void run(Run run) {
      Map<String, byte[]> got = await(run.ns.getAll(keys), toString());
      List<String> expected = distinct(keys).stream()
          .filter(k -> run.model.get(k).isPresent()).toList();
      assertEquals(show(expected), show(new ArrayList<>(got.keySet())), () -> this + ": keys");
      for (String k : expected) {
        assertValue(run.model.get(k), Optional.of(got.get(k)), this + " at " + show(k));
      }
      got.values().forEach(ModelInputs::scribble);
    }

    @Override
    public String toString() {
      return "getAll(" + show(keys) + ")";
    }
  }

  /** {@code getAllResults(keys)}: one result per distinct key, Found or Missing as the model. */
  record GetAllResults(List<String> keys) implements Step {
    @Override
    public void run(Run run) {
      Map<String, KvResult<byte[]>> got = await(run.ns.getAllResults(keys), toString());
      List<String> expected = distinct(keys);
      assertEquals(show(expected), show(new ArrayList<>(got.keySet())), () -> this + ": keys");
      for (String k : expected) {
        KvResult<byte[]> result = got.get(k);
        assertTrue(!(result instanceof KvResult.Failed<byte[]>),
            () -> this + " at " + show(k) + ": " + result);
        assertValue(run.model.get(k), result.toOptional(), this + " at " + show(k));
        result.toOptional().ifPresent(ModelInputs::scribble);
      }
    }

    @Override
    public String toString() {
      return "getAllResults(" + show(keys) + ")";
    }
  }

  /**
   * A whole listing walk of one prefix, {@code list} or {@code listValues}, page after page
   * until complete, page {@code i} asking for {@code limits[min(i, last)]}: every live key of the
   * prefix exactly once, no other key, no page over its limit, in UTF-8 byte order where the
   * listing promises an order, values and expirations as the model's.
   */
  record Walk(String prefix, List<Integer> limits, boolean withValues) implements Step {
    @Override
    public void run(Run run) {
      KvNamespace<byte[]> ns = run.ns;
      List<String> listed = new ArrayList<>();
      String cursor = null;
      int page = 0;
      do {
        int limit = limits.get(Math.min(page, limits.size() - 1));
        ListOptions options = ListOptions.prefix(prefix).limit(limit);
        if (cursor != null) {
          options = options.cursor(cursor);
        }
        String what = this + " page " + page + " (limit " + limit + ")";
        if (withValues) {
          KvValuePage<byte[]> p = await(ns.listValues(options), what);
          assertTrue(p.entries().size() <= limit, () -> what + ": " + p.entries().size()
              + " entries");
          assertTrue(p.failures().isEmpty(), () -> what + ": failures " + p.failures());
          for (KvEntry<byte[]> e : p.entries()) {
            listed.add(e.key());
            assertValue(run.model.get(e.key()), Optional.of(e.value()), what + " at "
                + show(e.key()));
            assertExpiration(run, e.key(), e.expiration(), what);
            ModelInputs.scribble(e.value());
          }
          cursor = p.cursor().orElse(null);
        } else {
          KvPage p = await(ns.list(options), what);
          assertTrue(p.keys().size() <= limit, () -> what + ": " + p.keys().size() + " keys");
          for (KvKey k : p.keys()) {
            listed.add(k.key());
            assertExpiration(run, k.key(), k.expiration(), what);
          }
          cursor = p.cursor().orElse(null);
        }
        page++;
        if (page > MAX_PAGES) {
          fail(this + " did not complete after " + MAX_PAGES + " pages");
        }
      } while (cursor != null);
      compare(run, listed);
    }

    private void compare(Run run, List<String> listed) {
      SortedMap<String, KvModel.Entry> expected = run.model.live(prefix);
      Set<String> seen = new LinkedHashSet<>();
      List<String> twice = new ArrayList<>();
      for (String k : listed) {
        if (!seen.add(k)) {
          twice.add(k);
        }
      }
      List<String> missing = expected.keySet().stream().filter(k -> !seen.contains(k)).toList();
      List<String> extra = seen.stream().filter(k -> !expected.containsKey(k)).toList();
      assertTrue(missing.isEmpty() && twice.isEmpty() && extra.isEmpty(), () -> this + " over "
          + expected.size() + " live keys: never listed " + missing.size() + " " + show(missing)
          + ", listed twice " + twice.size() + " " + show(twice) + ", not in the model "
          + extra.size() + " " + show(extra));
      if (run.checker().listsInOrder(run.listing)) {
        assertEquals(show(new ArrayList<>(expected.keySet())), show(listed),
            () -> this + ": keys not in UTF-8 byte order");
      }
    }

    @Override
    public String toString() {
      return (withValues ? "listValues" : "list") + "Walk(prefix " + show(prefix) + ", limits "
          + limits + ")";
    }
  }

  // ---------------------------------------------------------------- time

  /** Moves the store's clock (stores with a movable clock). */
  record AdvanceClock(long millis) implements Step {
    @Override
    public void run(Run run) {
      run.checker().advanceTime(Duration.ofMillis(millis));
    }

    @Override
    public String toString() {
      return "advanceClock(" + millis + "ms)";
    }
  }

  /**
   * On stores that keep their own time: writes a key with a TTL of a few milliseconds, maybe
   * reads it while it expires (into the near cache, if any), waits until it has certainly
   * expired on the store, and then it must be gone for every read, near cache or not.
   */
  record ExpiringPut(String key, ModelInputs.Value value, long ttlMillis, Read read)
      implements Step {
    /** What is read while the key expires. */
    enum Read { NONE, GET, GET_ALL }

    @Override
    public void run(Run run) {
      await(run.ns.put(key, value.bytes(), PutOptions.ttl(Duration.ofMillis(ttlMillis))),
          toString());
      run.model.put(key, value, null, false);
      Optional<byte[]> during = switch (read) {
        case NONE -> Optional.empty();
        case GET -> await(run.ns.get(key), toString());
        case GET_ALL -> Optional.ofNullable(await(run.ns.getAll(List.of(key)), toString())
            .get(key));
      };
      during.ifPresent(v -> assertTrue(value.matches(v),
          () -> this + ": read " + ModelInputs.Value.describe(v) + " while it expired"));
      // The store applied the write before it answered, so after the TTL and a margin the key
      // has expired on the store's own clock: no timing is asserted, only the outcome.
      sleep(ttlMillis + 30);
      run.model.delete(key);
      String after = this + ", after the TTL";
      assertValue(Optional.empty(), await(run.ns.get(key), after + ": get"), after + ": get");
      assertTrue(await(run.ns.getAll(List.of(key)), after).isEmpty(), after + ": getAll");
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    @Override
    public String toString() {
      return "expiringPut(" + show(key) + ", " + value + ", ttl=" + ttlMillis + "ms, read "
          + read + " while it expires)";
    }
  }

  // ---------------------------------------------------------------- reindex, migration, close

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
