package io.kvstore.testkit.internal.linearizability;

import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.testkit.KvHistoryRecorder;
import io.kvstore.testkit.LinearizabilityReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A concurrent history to check: {@code threads} threads started together, each running a seeded
 * random mix of {@code get}, {@code put}, {@code putIfAbsent}, {@code delete}, and
 * {@code getVersioned} followed by {@code replace} or {@code deleteIf} at the version read, on a
 * few keys of one namespace, through a {@link KvHistoryRecorder}. Every value written is
 * distinct (thread and step). A call that fails is counted, and the thread runs
 * {@link Hooks#afterFailure()} before its next step (a restart test waits there for the server).
 */
public final class RegisterWorkload {
  /**
   * The shape of one history.
   *
   * @param threads threads calling at once
   * @param opsPerThread steps per thread (a versioned read and its conditional write are one)
   * @param keys the keys, {@code k0} to {@code k(keys-1)}
   * @param seed the seed of every thread's choices
   */
  public record Settings(int threads, int opsPerThread, int keys, long seed) {}

  /**
   * What a history's run can be told.
   */
  public interface Hooks {
    /**
     * Called by each thread before each step, such as to restart the server partway.
     *
     * @param thread the thread's number, from 0
     * @param step the step's number, from 0
     */
    default void beforeStep(int thread, int step) {}

    /** Called by a thread whose call failed, before its next step. */
    default void afterFailure() {}

    /**
     * Asked by a thread that has done its steps: whether it may stop, or must go on (until a
     * restart is over, say).
     *
     * @return true to stop
     */
    default boolean mayStop() {
      return true;
    }
  }

  /**
   * The outcome of one history.
   *
   * @param report the checker's verdict
   * @param failures calls that failed (reads and writes)
   */
  public record Result(LinearizabilityReport report, int failures) {}

  private RegisterWorkload() {}

  /**
   * Records one history on {@code ns} and checks it.
   *
   * @param ns a namespace of strings, empty
   * @param settings the shape of the history
   * @param hooks what to do after a failure, and when threads may stop
   * @return the verdict and the failures
   * @throws InterruptedException if interrupted while waiting for the threads
   */
  public static Result run(KvNamespace<String> ns, Settings settings, Hooks hooks)
      throws InterruptedException {
    KvHistoryRecorder history = KvHistoryRecorder.of(ns);
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> crashed = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < settings.threads(); t++) {
      Random random = new Random(settings.seed() * 31 + t);
      String name = "t" + t;
      int number = t;
      Thread thread = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < settings.opsPerThread() || !hooks.mayStop(); i++) {
            hooks.beforeStep(number, i);
            try {
              step(history, random, "k" + random.nextInt(settings.keys()), name + "-" + i);
            } catch (KvException e) {
              failures.incrementAndGet();
              hooks.afterFailure();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
          crashed.add(e);
        }
      }, name);
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    if (!crashed.isEmpty()) {
      throw new IllegalStateException("a workload thread failed", crashed.get(0));
    }
    return new Result(history.check(), failures.get());
  }

  private static void step(KvHistoryRecorder history, Random random, String key, String value) {
    int draw = random.nextInt(20);
    if (draw < 7) {
      history.get(key);
    } else if (draw < 11) {
      history.getVersioned(key).ifPresent(read -> history.replace(key, read.version(), value));
    } else if (draw < 15) {
      history.put(key, value);
    } else if (draw < 17) {
      history.delete(key);
    } else if (draw < 18) {
      history.getVersioned(key).ifPresent(read -> history.deleteIf(key, read.version()));
    } else {
      history.putIfAbsent(key, value);
    }
  }
}
