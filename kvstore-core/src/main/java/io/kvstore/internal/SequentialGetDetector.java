package io.kvstore.internal;

import io.kvstore.KvOperation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when one thread reads a namespace key by key: the N+1 pattern that a loop of
 * {@code get}s makes, which {@code getAll} or {@code listValues} would serve in one round trip.
 *
 * <p><b>Runs.</b> Each thread keeps one run: the namespace of its last single {@code get}, how
 * many gets in a row it issued there, and when the last one started. A {@code get} on the same
 * namespace within the window of the previous one extends the run; any other operation of the
 * thread (a batch, a write, a get on another namespace) ends it.
 *
 * <p><b>Coalescing.</b> On a namespace that coalesces gets ({@link GetCoalescer}), gets issued
 * without waiting for each other (and awaited with {@code allOf}) go out as a batch, so they are
 * no N+1: a get extends the run only if the thread's previous get had finished when it started,
 * that is, the loop joined each get before issuing the next. Those gets can never be coalesced,
 * since each is alone when it is sent, and the warning says so. On a namespace that does not
 * coalesce, gets count when they start, as they cost one round trip each however they are
 * awaited.
 *
 * <p><b>Cost.</b> Every operation pays a thread-local look-up and, for gets, a clock read. The
 * stack is walked only when a run reaches the threshold, and the warning is rate limited per call
 * site (the first stack frame outside {@code io.kvstore.internal} and the JDK), once per
 * {@link #RATE_LIMIT} on the store's clock, so a hot loop logs once a minute at most.
 *
 * <p><b>Limits.</b> Runs are per thread: a chain of gets that hops threads (each {@code get}
 * issued from the previous one's callback on a pool) is not seen, and on an event-loop thread that
 * serves many requests, single gets of different requests may add up to one run. The window bounds
 * the latter; the warning is a hint, not an error.
 */
final class SequentialGetDetector {
  private static final Duration RATE_LIMIT = Duration.ofMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger("io.kvstore.SequentialGets");

  /**
   * Packages whose frames are not the call site: kvstore's implementation, and the JDK's streams,
   * futures and reflection that may stand between the caller and {@code get}.
   */
  private static final List<String> SKIPPED_PACKAGES = List.of("io.kvstore.internal.", "java.",
      "javax.", "jdk.", "sun.", "com.sun.");
  private static final StackWalker WALKER = StackWalker.getInstance();

  /** The current run of one thread. Only that thread reads or writes it. */
  private static final class Run {
    String namespace;
    int count;
    long lastMillis;
    /** The thread's last get, to tell a joined loop from a burst. */
    Operation last;
  }

  private final int threshold;
  private final long windowMillis;
  private final Clock clock;
  private final ThreadLocal<Run> runs = ThreadLocal.withInitial(Run::new);
  private final Map<String, Long> lastWarned = new ConcurrentHashMap<>();

  SequentialGetDetector(int threshold, Duration window, Clock clock) {
    this.threshold = threshold;
    this.windowMillis = window.toMillis();
    this.clock = clock;
  }

  /**
   * Called on the caller's thread when an operation starts.
   *
   * @param op the operation that starts
   * @param coalesced whether it is a get that may share a batch with concurrent gets
   */
  void started(String namespace, KvOperation operation, Operation op, boolean coalesced) {
    Run run = runs.get();
    if (operation != KvOperation.GET) {
      run.count = 0;
      run.namespace = null;
      run.last = null;
      return;
    }
    long now = clock.millis();
    boolean joinedPrevious = !coalesced || run.last == null || run.last.isFinished();
    if (run.count > 0 && joinedPrevious && namespace.equals(run.namespace)
        && now - run.lastMillis <= windowMillis) {
      run.count++;
    } else {
      run.namespace = namespace;
      run.count = 1;
    }
    run.lastMillis = now;
    run.last = op;
    if (run.count == threshold) {
      warn(namespace, now, coalesced);
    }
  }

  private void warn(String namespace, long now, boolean coalesced) {
    String site = callSite();
    boolean[] due = {false};
    lastWarned.compute(site, (s, last) -> {
      if (last == null || now - last >= RATE_LIMIT.toMillis()) {
        due[0] = true;
        return now;
      }
      return last;
    });
    if (due[0]) {
      LOG.warn("{} single gets in a row on namespace '{}' from thread '{}' at {}, each a round trip"
          + " of its own{}; read the keys with one getAll (or listValues for a prefix) to save {}"
          + " round trips", threshold, namespace, Thread.currentThread().getName(), site,
          coalesced ? " (each was awaited before the next was issued, and gets awaited one at a"
              + " time cannot be coalesced)" : "",
          threshold - 1);
    }
  }

  /**
   * The first stack frame outside kvstore's implementation and the JDK: the line that called
   * {@code get}, also when it called it through a stream or a future.
   */
  private static String callSite() {
    return WALKER.walk(frames -> frames
        .filter(f -> SKIPPED_PACKAGES.stream().noneMatch(f.getClassName()::startsWith))
        .findFirst()
        .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":"
            + f.getLineNumber() + ")")
        .orElse("an unknown call site"));
  }
}
