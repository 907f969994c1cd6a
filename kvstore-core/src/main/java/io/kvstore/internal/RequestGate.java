package io.kvstore.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Caps requests in flight without blocking a thread: a request that finds every slot taken is
 * queued and started by the {@link #release()} of an earlier one, as a browser or a Cloudflare
 * Worker queues requests beyond its connection limit.
 */
final class RequestGate {
  private final int max;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;
  private boolean closed;

  RequestGate(int max) {
    this.max = max;
  }

  /** Runs {@code start} now if a slot is free, else when one frees up. */
  void enter(Runnable start) {
    synchronized (this) {
      if (inFlight >= max && !closed) {
        waiting.add(start);
        return;
      }
      inFlight++;
    }
    start.run();
  }

  /**
   * Takes every waiting request off the queue, for a closing store to fail; a request that
   * enters afterwards runs at once, to fail on its own.
   *
   * @return what was waiting, oldest first
   */
  synchronized List<Runnable> clear() {
    closed = true;
    List<Runnable> dropped = new ArrayList<>(waiting);
    waiting.clear();
    return dropped;
  }

  /** Frees the caller's slot, handing it straight to the oldest waiting request. */
  void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        inFlight--;
      }
    }
    if (next != null) {
      next.run();
    }
  }
}
