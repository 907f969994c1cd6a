package io.kvstore.internal;

import java.util.ArrayDeque;
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

  RequestGate(int max) {
    this.max = max;
  }

  /** Runs {@code start} now if a slot is free, else when one frees up. */
  void enter(Runnable start) {
    synchronized (this) {
      if (inFlight >= max) {
        waiting.add(start);
        return;
      }
      inFlight++;
    }
    start.run();
  }

  /** Drops every waiting request: the store closed and fails them itself. */
  synchronized void clear() {
    waiting.clear();
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
