package io.kvstore.testkit.internal.linearizability;

import static io.kvstore.testkit.internal.linearizability.HistoryOp.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvSwap;
import io.kvstore.testkit.LinearizabilityReport;
import io.kvstore.testkit.LinearizabilityReport.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The checker on hand-made histories, times in made-up nanoseconds: it accepts what a register
 * may answer under overlap, and catches a stale read, a lost update, a value read before it was
 * written, and the misuse of an operation whose outcome is unknown.
 */
class LinearizabilityCheckerTest {
  private final List<HistoryOp> history = new ArrayList<>();

  private HistoryOp add(String thread, OpKind kind, String key, @Nullable String value,
      @Nullable String expected, @Nullable Object output, long call, long ret) {
    HistoryOp op = new HistoryOp(history.size(), thread, kind, key, value, expected, output,
        call, ret);
    history.add(op);
    return op;
  }

  private void put(String t, String key, String value, long call, long ret) {
    add(t, OpKind.PUT, key, value, null, null, call, ret);
  }

  private void get(String t, String key, @Nullable String read, long call, long ret) {
    add(t, OpKind.GET, key, null, null, Optional.ofNullable(read), call, ret);
  }

  private void replace(String t, String key, String expected, String value, KvSwap out,
      long call, long ret) {
    add(t, OpKind.REPLACE, key, value, expected, out, call, ret);
  }

  private LinearizabilityReport check() {
    return LinearizabilityChecker.check(history, LinearizabilityChecker.DEFAULT_BUDGET);
  }

  @Test
  void overlappingOperationsMayTakeEffectInEitherOrder() {
    put("t1", "x", "a", 0, 10);
    get("t2", "x", "a", 5, 15);
    get("t3", "x", null, 1, 12);               // before the put took effect
    replace("t1", "x", "a", "b", KvSwap.APPLIED, 25, 40);
    get("t2", "x", "a", 30, 45);               // overlaps the replace: before it
    get("t3", "x", "b", 35, 38);               // overlaps too: after it
    add("t1", OpKind.DELETE_IF, "x", null, "a", KvSwap.CHANGED, 50, 60);
    add("t2", OpKind.PUT_IF_ABSENT, "x", "c", null, false, 55, 70);
    add("t3", OpKind.DELETE, "x", null, null, true, 80, 90);
    add("t1", OpKind.PUT_IF_ABSENT, "x", "d", null, true, 100, 110);
    add("t2", OpKind.REPLACE, "x", "e", "b", KvSwap.CHANGED, 105, 115);
    add("t3", OpKind.DELETE_IF, "x", null, "d", KvSwap.APPLIED, 120, 130);
    add("t1", OpKind.REPLACE, "x", "f", "d", KvSwap.MISSING, 140, 150);
    LinearizabilityReport report = check();
    assertEquals(Verdict.LINEARIZABLE, report.verdict(), report::toString);
    assertEquals(13, report.operations());
    assertEquals(1, report.keys());
  }

  @Test
  void aStaleReadIsCaughtAndShown() {
    put("t1", "x", "a", 0, 10_000);
    put("t2", "x", "b", 20_000, 30_000);
    get("t3", "x", "a", 40_000, 50_000);       // b was acknowledged before this read began
    LinearizabilityReport report = check();
    assertEquals(Verdict.NOT_LINEARIZABLE, report.verdict());
    assertEquals(Optional.of("x"), report.key());
    assertEquals(List.of(
        "at best 2 of 3 operations on this key can be ordered; after them it holds \"b\", the"
            + " last of them:",
        "  [+0.000 ms, +0.010 ms] t1 put(x, \"a\") -> ok",
        "  [+0.020 ms, +0.030 ms] t2 put(x, \"b\") -> ok",
        "then this operation, which had returned, cannot take effect:",
        "  [+0.040 ms, +0.050 ms] t3 get(x) -> \"a\""), report.excerpt());
  }

  @Test
  void aLostUpdateIsCaught() {
    put("t1", "x", "a", 0, 10);
    // Both replaced the version of "a", concurrently: only one of them can have.
    replace("t1", "x", "a", "b", KvSwap.APPLIED, 20, 40);
    replace("t2", "x", "a", "c", KvSwap.APPLIED, 25, 45);
    LinearizabilityReport report = check();
    assertEquals(Verdict.NOT_LINEARIZABLE, report.verdict(), report::toString);
    assertTrue(report.toString().contains("replace(x, expected \"a\""), report::toString);
  }

  @Test
  void aValueReadBeforeItsWriteWasInvokedIsCaught() {
    put("t1", "x", "a", 0, 10);
    get("t2", "x", "b", 20, 30);
    put("t1", "x", "b", 40, 50);
    assertEquals(Verdict.NOT_LINEARIZABLE, check().verdict());
  }

  @Test
  void aWriteOfUnknownOutcomeMayHaveTakenEffect() {
    put("t1", "x", "a", 0, 10);
    put("t2", "x", "b", 20, UNKNOWN);
    get("t3", "x", "b", 100, 110);
    get("t3", "x", "b", 120, 130);
    LinearizabilityReport report = check();
    assertEquals(Verdict.LINEARIZABLE, report.verdict(), report::toString);
    assertEquals(1, report.unknown());
  }

  @Test
  void aWriteOfUnknownOutcomeMayNeverTakeEffect() {
    put("t1", "x", "a", 0, 10);
    put("t2", "x", "b", 20, UNKNOWN);
    add("t2", OpKind.REPLACE, "x", "c", "a", null, 25, UNKNOWN);
    get("t3", "x", "a", 100, 110);
    assertEquals(Verdict.LINEARIZABLE, check().verdict());
  }

  @Test
  void aWriteOfUnknownOutcomeTakesEffectOnceAndNotBeforeItsInvocation() {
    put("t1", "x", "a", 0, 10);
    get("t2", "x", "b", 15, 18);               // before the write was invoked
    put("t2", "x", "b", 20, UNKNOWN);
    assertEquals(Verdict.NOT_LINEARIZABLE, check().verdict());

    history.clear();
    put("t1", "x", "a", 0, 10);
    put("t2", "x", "b", 20, UNKNOWN);
    get("t3", "x", "b", 30, 40);
    get("t3", "x", "a", 50, 60);               // "b" was seen: it cannot be undone
    assertEquals(Verdict.NOT_LINEARIZABLE, check().verdict());
  }

  @Test
  void aReadOfUnknownOutcomeIsLeftOut() {
    put("t1", "x", "a", 0, 10);
    add("t2", OpKind.GET, "x", null, null, null, 20, UNKNOWN);
    LinearizabilityReport report = check();
    assertEquals(Verdict.LINEARIZABLE, report.verdict());
    assertEquals(2, report.operations());
    assertEquals(1, report.unknown());
  }

  @Test
  void keysAreCheckedApartAndTheBrokenOneIsNamed() {
    put("t1", "x", "a", 0, 10);
    put("t1", "y", "a", 0, 10);
    get("t2", "x", "a", 20, 30);
    get("t2", "y", null, 20, 30);              // y was written before: a lost write
    LinearizabilityReport report = check();
    assertEquals(Verdict.NOT_LINEARIZABLE, report.verdict());
    assertEquals(Optional.of("y"), report.key());
    assertEquals(2, report.keys());
  }

  @Test
  void aSpentBudgetIsUndecidedNotAPass() {
    put("t1", "x", "a", 0, 10);
    get("t2", "x", "a", 20, 30);
    LinearizabilityReport report = LinearizabilityChecker.check(history, 1);
    assertEquals(Verdict.UNDECIDED, report.verdict());
    assertEquals(false, report.linearizable());
  }

  /**
   * A long history, linearizable by construction: each operation takes effect at its own
   * instant, in order, on a register, and its invocation and return are drawn up to 50 instants
   * around it, so about ten operations overlap at any time. The search must accept it within its
   * budget; then one read changed to a value no longer held must be caught.
   */
  @Test
  void aLongHeavilyOverlappingHistoryIsCheckedWithinTheBudget() {
    Random random = new Random(30);
    String state = null;
    int stale = -1;
    String before = null;
    for (int i = 0; i < 2_000; i++) {
      long at = 100L * i;
      long call = at - random.nextInt(500);
      long ret = at + random.nextInt(500);
      String t = "t" + random.nextInt(6);
      String key = "k" + random.nextInt(3);
      if (!key.equals("k0")) {
        get(t, key, null, call, ret);
        continue;
      }
      switch (random.nextInt(4)) {
        case 0 -> {
          before = state;
          state = "v" + i;
          put(t, key, state, call, ret);
        }
        case 1 -> {
          get(t, key, state, call, ret);
          if (i > 1_000 && stale < 0 && before != null && !before.equals(state)) {
            stale = history.size() - 1;
          }
        }
        case 2 -> {
          String expected = random.nextBoolean() ? state : before;
          KvSwap out = state == null ? KvSwap.MISSING
              : state.equals(expected) ? KvSwap.APPLIED : KvSwap.CHANGED;
          if (out == KvSwap.APPLIED) {
            before = state;
            state = "v" + i;
          }
          replace(t, key, expected == null ? "none" : expected, "v" + i, out, call, ret);
        }
        default -> {
          add(t, OpKind.DELETE, key, null, null, state != null, call, ret);
          before = state;
          state = null;
        }
      }
    }
    LinearizabilityReport report = check();
    assertEquals(Verdict.LINEARIZABLE, report.verdict(), report::toString);
    assertEquals(3, report.keys());

    // The same read, now returning the value two writes back, far outside its window.
    HistoryOp read = history.get(stale);
    HistoryOp old = history.stream().filter(op -> op.kind() == OpKind.PUT
        && op.key().equals("k0") && op.ret() < read.call() - 5_000).findFirst().orElseThrow();
    history.set(stale, new HistoryOp(read.id(), read.thread(), read.kind(), read.key(), null,
        null, Optional.of(old.value()), read.call(), read.ret()));
    LinearizabilityReport broken = check();
    assertEquals(Verdict.NOT_LINEARIZABLE, broken.verdict(), broken::toString);
    assertEquals(Optional.of("k0"), broken.key());
  }
}
