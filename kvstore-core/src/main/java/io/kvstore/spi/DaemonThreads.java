package io.kvstore.spi;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for a store's own threads, kvstore's and an adapter's: daemon threads (a store
 * an application forgot to close never keeps its JVM alive) named {@code prefix-1},
 * {@code prefix-2}, ..., so a thread dump says whose they are. Thread-safe.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /**
   * Returns a factory of daemon threads named {@code prefix-N}.
   *
   * @param prefix the name before the number, such as {@code "kvstore-sqlite-reader"}
   * @return the factory
   */
  public static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
