package io.kvstore.testkit.internal.linearizability;

import io.kvstore.testkit.LinearizabilityReport;
import io.kvstore.testkit.LinearizabilityReport.Verdict;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a recorded history of single-key operations is linearizable: whether some
 * total order of its operations, consistent with real time (an operation that returned before
 * another was invoked comes first), gives every operation the output it recorded when run on
 * one register per key ({@link OpKind}).
 *
 * <p><b>Algorithm.</b> Wing and Gong's search as Lowe improved it and Porcupine implements it
 * ({@code anishathalye/porcupine}, {@code checker.go}). The history is a list of invocation and
 * return events in time order. The search walks it from the front: at an invocation it tries to
 * linearize that operation now (its output must match the register's state), and if so removes
 * the operation's two events from the list and starts again from the front; at a return event
 * it has met an operation that must already have taken effect but could not, so it undoes the
 * last choice and tries the next candidate. Lowe's memoisation keeps the search polynomial in
 * practice: a (set of linearized operations, state) pair already explored is never explored
 * again, since what can follow depends on nothing else.
 *
 * <p><b>Per key.</b> Each key is a register of its own and linearizability is compositional
 * (Herlihy and Wing: a history is linearizable iff each object's sub-history is), so each key is
 * checked alone, which keeps every search small.
 *
 * <p><b>Unknown outcomes.</b> An operation that failed with an unknown outcome returns "at the
 * end of time": the search may linearize it at any point after its invocation with any output,
 * or leave it out (it is never forced, since the search stops once every known operation is
 * linearized). Reads of unknown outcome are dropped: they cannot change the register.
 *
 * <p><b>Report.</b> When a key has no linearization, the excerpt is taken at the deepest point the
 * search reached: the state there, the last operations linearized to reach it, the operation
 * that could not be placed next, and the operations concurrent with it: the few lines that show
 * the violation, out of a history of hundreds.
 *
 * <p><b>Why not Lincheck.</b> JetBrains Lincheck's stress mode generates its own small scenarios
 * and runs each thousands of times on a fresh object; a remote store would have to be emptied
 * between invocations, it cannot record an operation whose outcome is unknown, and it cannot
 * check a history recorded across a server restart. Checking recorded histories is what Jepsen
 * and Porcupine do for remote stores, and it fits in this class.
 */
public final class LinearizabilityChecker {
  /** Search steps allowed per key before the verdict is {@link Verdict#UNDECIDED}. */
  public static final long DEFAULT_BUDGET = 5_000_000;

  /** Operations shown as the last linearized before a violation. */
  private static final int PREFIX_SHOWN = 3;

  /** Concurrent operations shown beside the one that could not be placed. */
  private static final int CONCURRENT_SHOWN = 10;

  private LinearizabilityChecker() {}

  /**
   * Checks a history, key by key, in key order; stops at the first key without a linearization.
   *
   * @param history the operations, in any order
   * @param budgetPerKey search steps allowed per key
   * @return the verdict, naming the key and an excerpt when there is a violation
   */
  public static LinearizabilityReport check(List<HistoryOp> history, long budgetPerKey) {
    Map<String, List<HistoryOp>> byKey = new TreeMap<>();
    long origin = Long.MAX_VALUE;
    int unknown = 0;
    for (HistoryOp op : history) {
      origin = Math.min(origin, op.call());
      if (op.unknown()) {
        unknown++;
        if (!op.kind().writes()) {
          continue;
        }
      }
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    for (Map.Entry<String, List<HistoryOp>> key : byKey.entrySet()) {
      Search search = new Search(key.getValue(), origin);
      Verdict verdict = search.run(budgetPerKey);
      if (verdict != Verdict.LINEARIZABLE) {
        return new LinearizabilityReport(verdict, history.size(), byKey.size(), unknown,
            Optional.of(key.getKey()), verdict == Verdict.UNDECIDED
                ? List.of("the search spent its budget of " + budgetPerKey + " steps on "
                    + key.getValue().size() + " operations; record shorter histories")
                : search.excerpt());
      }
    }
    return new LinearizabilityReport(Verdict.LINEARIZABLE, history.size(), byKey.size(),
        unknown, Optional.empty(), List.of());
  }

  /** One event of the doubly linked list the search walks and lifts operations out of. */
  private static final class Event {
    final HistoryOp op;
    final int index;
    final boolean call;
    final long time;
    @Nullable Event match;
    @Nullable Event prev;
    @Nullable Event next;

    Event(HistoryOp op, int index, boolean call) {
      this.op = op;
      this.index = index;
      this.call = call;
      this.time = call ? op.call() : op.ret();
    }
  }

  /** An explored point: the operations linearized and the register's state after them. */
  private record Memo(BitSet linearized, @Nullable String state) {}

  /** A choice made, to undo on backtracking: the call lifted and the state before it. */
  private record Frame(Event call, @Nullable String before) {}

  /** The search over one key's operations. */
  private static final class Search {
    private final List<HistoryOp> ops;
    private final long origin;
    private final Event head;
    private final int known;

    private int deepest = -1;
    private @Nullable HistoryOp stuck;
    private @Nullable String stuckState;
    private List<HistoryOp> stuckPrefix = List.of();
    private BitSet stuckLinearized = new BitSet();

    Search(List<HistoryOp> ops, long origin) {
      this.ops = ops;
      this.origin = origin;
      List<Event> events = new ArrayList<>(2 * ops.size());
      int known = 0;
      for (int i = 0; i < ops.size(); i++) {
        HistoryOp op = ops.get(i);
        Event call = new Event(op, i, true);
        Event ret = new Event(op, i, false);
        call.match = ret;
        events.add(call);
        events.add(ret);
        known += op.unknown() ? 0 : 1;
      }
      this.known = known;
      // Equal times count as overlapping (invocations first): that only allows more orders,
      // so a tie on the clock can never make a correct history fail.
      events.sort(Comparator.comparingLong((Event e) -> e.time)
          .thenComparing(e -> e.call ? 0 : 1));
      head = new Event(ops.get(0), -1, true);   // a sentinel; a key has operations
      Event last = head;
      for (Event e : events) {
        last.next = e;
        e.prev = last;
        last = e;
      }
    }

    Verdict run(long budget) {
      BitSet linearized = new BitSet(ops.size());
      Set<Memo> explored = new HashSet<>();
      Deque<Frame> choices = new ArrayDeque<>();
      String state = null;
      int knownLinearized = 0;
      Event event = head.next;
      long steps = 0;
      while (knownLinearized < known) {
        if (++steps > budget) {
          return Verdict.UNDECIDED;
        }
        if (event.call) {
          HistoryOp op = event.op;
          if (op.kind().accepts(state, op)) {
            String after = op.kind().next(state, op);
            BitSet next = (BitSet) linearized.clone();
            next.set(event.index);
            if (explored.add(new Memo(next, after))) {
              choices.push(new Frame(event, state));
              state = after;
              linearized.set(event.index);
              knownLinearized += op.unknown() ? 0 : 1;
              lift(event);
              event = head.next;
              continue;
            }
          }
          event = event.next;
        } else {
          if (choices.size() > deepest) {
            remember(event.op, state, choices, linearized);
          }
          if (choices.isEmpty()) {
            return Verdict.NOT_LINEARIZABLE;
          }
          Frame undo = choices.pop();
          state = undo.before();
          linearized.clear(undo.call().index);
          knownLinearized -= undo.call().op.unknown() ? 0 : 1;
          unlift(undo.call());
          event = undo.call().next;
        }
      }
      return Verdict.LINEARIZABLE;
    }

    private void remember(HistoryOp op, @Nullable String state, Deque<Frame> choices,
        BitSet linearized) {
      deepest = choices.size();
      stuck = op;
      stuckState = state;
      stuckLinearized = (BitSet) linearized.clone();
      List<HistoryOp> prefix = new ArrayList<>();
      for (Frame f : choices) {       // newest first
        if (prefix.size() == PREFIX_SHOWN) {
          break;
        }
        prefix.add(0, f.call().op);
      }
      stuckPrefix = prefix;
    }

    List<String> excerpt() {
      List<String> lines = new ArrayList<>();
      lines.add("at best " + deepest + " of " + ops.size() + " operations on this key can be"
          + " ordered; after them it holds "
          + (stuckState == null ? "nothing" : "\"" + stuckState + "\"")
          + (stuckPrefix.isEmpty() ? "" : ", the last of them:"));
      stuckPrefix.forEach(op -> lines.add("  " + op.describe(origin)));
      lines.add("then this operation, which had returned, cannot take effect:");
      lines.add("  " + stuck.describe(origin));
      List<HistoryOp> concurrent = ops.stream()
          .filter(op -> op != stuck && op.call() <= stuck.ret()
              && !stuckLinearized.get(ops.indexOf(op)))
          .sorted(Comparator.comparingLong(HistoryOp::call))
          .limit(CONCURRENT_SHOWN)
          .toList();
      if (!concurrent.isEmpty()) {
        lines.add("nor can any of the operations invoked before it returned:");
        concurrent.forEach(op -> lines.add("  " + op.describe(origin)));
      }
      return List.copyOf(lines);
    }

    private static void lift(Event call) {
      Event ret = call.match;
      call.prev.next = call.next;
      call.next.prev = call.prev;
      ret.prev.next = ret.next;
      if (ret.next != null) {
        ret.next.prev = ret.prev;
      }
    }

    private static void unlift(Event call) {
      Event ret = call.match;
      ret.prev.next = ret;
      if (ret.next != null) {
        ret.next.prev = ret;
      }
      call.prev.next = call;
      call.next.prev = call;
    }
  }
}
