package io.kvstore.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A thread blocked in a call of the blocking API, offered to the read it waits for as a second
 * pair of hands: the thread that completes the read decodes one part of a batch and hands the
 * other to the caller, which the caller must be woken for anyway. The caller's wake-up then
 * overlaps the decode instead of following it, and on two cores the batch is decoded in about
 * half the time, with no hop to a pool and back (which costs more than it saves on a batch
 * this small: see {@link Decoder}).
 *
 * <p>The hand-off never waits for the caller: the completing thread decodes its part, then
 * takes back the offered part if the caller has not started it ({@link Part#claim}).
 *
 * <p>The blocking view sets the caller for the one call ({@link #await}); the operation that
 * call begins takes it on the same thread ({@link #take}), so an operation begun by anything
 * else, nested or later, has none.
 */
final class WaitingCaller {
  private static final ThreadLocal<WaitingCaller> CURRENT = new ThreadLocal<>();

  private final Thread thread = Thread.currentThread();
  private final AtomicReference<Part> offered = new AtomicReference<>();

  private WaitingCaller() {}

  /**
   * Runs an async call and waits for it, decoding what its read offers meanwhile.
   *
   * @param call begins the operation, on this thread
   * @return the call's future, done
   */
  static <T> CompletableFuture<T> await(Supplier<CompletableFuture<T>> call) {
    WaitingCaller caller = new WaitingCaller();
    CURRENT.set(caller);
    CompletableFuture<T> future;
    try {
      future = call.get();
    } finally {
      CURRENT.remove();
    }
    if (!future.isDone()) {
      caller.helpUntilDone(future);
    }
    return future;
  }

  /**
   * Takes this thread's waiting caller for the operation it is beginning; null when the call
   * does not come from the blocking API, or the caller was taken already.
   *
   * @return the caller, at most once per blocking call
   */
  static @Nullable WaitingCaller take() {
    WaitingCaller caller = CURRENT.get();
    if (caller != null) {
      CURRENT.remove();
    }
    return caller;
  }

  /**
   * Whether the current thread is this caller's: then it is not waiting, and offering it a part
   * would only delay the part.
   *
   * @return true on the caller's own thread
   */
  boolean isCurrentThread() {
    return Thread.currentThread() == thread;
  }

  /**
   * Offers a part to the caller and wakes it.
   *
   * @param part what it may decode
   */
  void offer(Part part) {
    offered.set(part);
    LockSupport.unpark(thread);
  }

  private void helpUntilDone(CompletableFuture<?> future) {
    future.whenComplete((result, error) -> LockSupport.unpark(thread));
    while (!future.isDone()) {
      Part part = offered.getAndSet(null);
      if (part != null) {
        part.runIfUnclaimed();
      } else {
        LockSupport.park(this);
      }
    }
  }

  /** Work one of two threads may do, exactly once: whoever claims it first. */
  abstract static class Part {
    private final AtomicBoolean claimed = new AtomicBoolean();

    /**
     * Claims the part for the current thread.
     *
     * @return true if no thread had claimed it
     */
    final boolean claim() {
      return claimed.compareAndSet(false, true);
    }

    /** Runs the part if no thread has claimed it. */
    final void runIfUnclaimed() {
      if (claim()) {
        run();
      }
    }

    /** The work; called once, by the thread that claimed it. */
    abstract void run();
  }
}
