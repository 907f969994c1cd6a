package io.kvstore.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.testkit.internal.ModelChecker.Run;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The steps of a model-based sequence, and what they share. Each step is a record of its inputs
 * whose {@code toString()} is how it reads in a shrunk counterexample
 * ({@code put("a:0", v3[12B], ttl=none)}), and whose {@link Step#run} applies it to the store and
 * to the model and checks that they agree. The kinds of step are grouped by what they do:
 * {@link WriteSteps}, {@link ReadSteps}, {@link TimeSteps} and {@link StoreSteps} (reindex,
 * migration, close).
 */
final class ModelSteps {
  /**
   * How long any call may take before the caller counts as left waiting: a hang guard, not a
   * performance check, well above the Redis adapter's default command timeout (2 s).
   */
  static final Duration GUARD = Duration.ofSeconds(5);

  private ModelSteps() {}

  /** One step of a sequence. */
  interface Step {
    /** Applies the step to the store and the model; fails with an AssertionError if they differ. */
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

  /** Checks a value read against the model's: both absent, or the same bytes. */
  static void assertValue(Optional<ModelInputs.Value> expected, Optional<byte[]> actual,
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

  /** Distinct keys in first-seen order, as batch reads and deletes treat duplicates. */
  static List<String> distinct(List<String> keys) {
    return new ArrayList<>(new LinkedHashSet<>(keys));
  }
}
