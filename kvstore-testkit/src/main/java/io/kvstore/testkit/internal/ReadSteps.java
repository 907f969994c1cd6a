package io.kvstore.testkit.internal;

import static io.kvstore.testkit.internal.ModelInputs.show;
import static io.kvstore.testkit.internal.ModelSteps.assertValue;
import static io.kvstore.testkit.internal.ModelSteps.await;
import static io.kvstore.testkit.internal.ModelSteps.distinct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvstore.KvEntry;
import io.kvstore.KvKey;
import io.kvstore.KvNamespace;
import io.kvstore.KvPage;
import io.kvstore.KvResult;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.testkit.internal.ModelChecker.Run;
import io.kvstore.testkit.internal.ModelSteps.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * The steps that read: {@code get}, {@code getAll}, {@code getAllResults} and whole listing walks.
 * Each compares the store's answer with the model's and then scribbles over every array it got,
 * so a store or near cache that shares arrays with callers shows it.
 */
final class ReadSteps {
  /** More pages than any walk of this suite's keyspaces needs: a walk that goes on is stuck. */
  private static final int MAX_PAGES = 5_000;

  private ReadSteps() {}

  /**
   * Checks a batch read's answer: the keys the model expects, each once, in the order asked, and
   * each value the model's; then scribbles over every array the caller got.
   *
   * @param run the sequence
   * @param step the step, for messages
   * @param expected the keys, in the order the answer must hold them
   * @param got the store's answer
   * @param value the value of an answer's entry, empty for a missing key
   * @param <R> what the answer holds per key
   */
  private static <R> void assertBatch(Run run, Step step, List<String> expected,
      Map<String, R> got, Function<R, Optional<byte[]>> value) {
    assertEquals(show(expected), show(new ArrayList<>(got.keySet())), () -> step + ": keys");
    for (String k : expected) {
      Optional<byte[]> v = value.apply(got.get(k));
      assertValue(run.model.get(k), v, step + " at " + show(k));
      v.ifPresent(ModelInputs::scribble);
    }
  }

  /** Checks a listed expiration against the model's, within the fixture's tolerance. */
  private static void assertExpiration(Run run, String key, Optional<Instant> actual,
      String what) {
    Optional<Instant> expected = run.model.entry(key).map(KvModel.Entry::expiresAt);
    Duration tolerance = run.checker().expirationTolerance();
    boolean ok = expected.isPresent() == actual.isPresent() && (expected.isEmpty()
        || Duration.between(expected.get(), actual.get()).abs().compareTo(tolerance) <= 0);
    assertTrue(ok, () -> what + ": key " + show(key) + " expires at " + actual.orElse(null)
        + ", the model says " + expected.orElse(null));
  }

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

  /**
   * {@code getAll(keys)}: the live keys, in the order asked, each once; or, with
   * {@code results}, {@code getAllResults(keys)}: one result per distinct key, Found or Missing as
   * the model, never Failed. Then scribbles over every array it got.
   */
  record GetAll(List<String> keys, boolean results) implements Step {
    @Override
    public void run(Run run) {
      if (!results) {
        Map<String, byte[]> got = await(run.ns.getAll(keys), toString());
        List<String> expected = distinct(keys).stream()
            .filter(k -> run.model.get(k).isPresent()).toList();
        assertBatch(run, this, expected, got, Optional::of);
        return;
      }
      Map<String, KvResult<byte[]>> got = await(run.ns.getAllResults(keys), toString());
      got.forEach((k, result) -> assertTrue(!(result instanceof KvResult.Failed<byte[]>),
          () -> this + " at " + show(k) + ": " + result));
      assertBatch(run, this, distinct(keys), got, KvResult::toOptional);
    }

    @Override
    public String toString() {
      return (results ? "getAllResults(" : "getAll(") + show(keys) + ")";
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
}
