package io.kvstore.sqlite.internal;

import io.kvstore.KvUnavailableException;
import io.kvstore.sqlite.SqliteOptions;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.DaemonThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads a store's calls run on, and the store's life: one writer lane (one thread, the
 * writer connection), one reader lane ({@link SqliteOptions#readers()} threads, a read-only
 * connection each) and a small completion pool. A call is queued on a lane as a {@link Work},
 * runs once on a connection's thread with the store's clock, and its future completes on the
 * completion pool, never on a connection's thread. {@link #close()} fails what is still queued,
 * lets what runs finish, and releases the file.
 */
final class Lanes {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteBackend.class);

  /** One call's SQL, run on a connection's thread. */
  @FunctionalInterface
  interface Work<T> {
    T run(Worker worker, long now) throws SQLException;
  }

  private final DatabaseFile file;
  private final SqliteOptions options;
  private final Clock clock;
  private final Connection writerConnection;
  private final ScheduledThreadPoolExecutor writer;
  private final ThreadPoolExecutor readers;
  private final ExecutorService completions;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Calls queued and not yet started, so {@link #close()} can fail them. */
  private final Set<Task<?>> pending = ConcurrentHashMap.newKeySet();
  /** Every connection thread started, so {@link #close()} can wait until each closed its own. */
  private final List<Worker> workers = new CopyOnWriteArrayList<>();

  /**
   * Starts the lanes; their threads open reader connections as they need them.
   *
   * @param file the locked file, closed by {@link #close()}
   * @param writerConnection the writer connection, closed by {@link #close()}
   */
  Lanes(DatabaseFile file, SqliteOptions options, Connection writerConnection) {
    this.file = file;
    this.options = options;
    this.clock = options.clock();
    this.writerConnection = writerConnection;
    this.writer = new ScheduledThreadPoolExecutor(1,
        workers("kvstore-sqlite-writer", () -> writerConnection, workers));
    this.writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.readers = new ThreadPoolExecutor(options.readers(), options.readers(), 0,
        TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        workers("kvstore-sqlite-reader", () -> file.openReader(options), workers));
    this.completions = Executors.newCachedThreadPool(
        DaemonThreads.named("kvstore-sqlite-completion"));
  }

  /** Queues a call that only reads on a reader connection. */
  <T> CompletableFuture<T> onReader(BackendCall call, Work<T> work) {
    return submit(call, readers, false, work);
  }

  /** Queues a call that modifies rows on the writer, behind the writes issued before it. */
  <T> CompletableFuture<T> onWriter(BackendCall call, Work<T> work) {
    return submit(call, writer, true, work);
  }

  /** Runs {@code task} on the writer every {@code millis}, first after {@code millis}. */
  void repeatOnWriter(Runnable task, long millis) {
    writer.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Queues {@code task} on the writer behind the calls queued so far.
   *
   * @throws RejectedExecutionException if the store is closing
   */
  void queueOnWriter(Runnable task) {
    writer.execute(task);
  }

  boolean isClosed() {
    return closed.get();
  }

  private <T> CompletableFuture<T> submit(BackendCall call, ExecutorService lane, boolean writes,
      Work<T> work) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(call.storeClosed());
    }
    Task<T> task = new Task<>(call, writes, work);
    pending.add(task);
    if (closed.get()) {
      // close() may have drained `pending` before this task was added.
      task.abandon();
      return task.future;
    }
    try {
      lane.execute(task);
    } catch (RejectedExecutionException closing) {
      task.abandon();
    }
    return task.future;
  }

  /**
   * Closes the store: calls still queued fail with {@link KvUnavailableException} (they never
   * touched the data), calls running finish, then every connection closes on its own thread
   * (the last one checkpoints the write-ahead log into the file) and the lock is released.
   * Closing again does nothing.
   */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Task<?> task : pending) {
      task.abandon();
    }
    writer.shutdown();
    readers.shutdown();
    try {
      if (!writer.awaitTermination(1, TimeUnit.MINUTES)
          || !readers.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.warn("kvstore database {}: calls still running after a minute; closing anyway",
            file.file());
      }
      // A pool reports termination before its threads have left run(), where each closes its
      // connection: wait for that, so the last close checkpoints the log into the file before
      // the lock is released.
      for (Worker w : workers) {
        w.join(TimeUnit.SECONDS.toMillis(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // A writer thread that never started never closed its connection.
      DatabaseFile.closeQuietly(writerConnection);
      completions.shutdown();
      file.close();
    }
  }

  /** One call: run once on a connection's thread, or abandoned by close, never both. */
  private final class Task<T> implements Runnable {
    private final BackendCall call;
    private final boolean writes;
    private final Work<T> work;
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final AtomicBoolean claimed = new AtomicBoolean();

    Task(BackendCall call, boolean writes, Work<T> work) {
      this.call = call;
      this.writes = writes;
      this.work = work;
    }

    @Override
    public void run() {
      if (!claimed.compareAndSet(false, true)) {
        return;
      }
      pending.remove(this);
      call.recordRoundTrip(1);
      T result = null;
      RuntimeException failure = null;
      try {
        result = work.run(Worker.current(), clock.millis());
      } catch (SQLException e) {
        failure = SqlErrors.translate(call, e, writes, file.file(), options.busyTimeout());
      } catch (RuntimeException e) {
        failure = e;
      }
      T value = result;
      RuntimeException error = failure;
      Runnable complete = () -> {
        if (error == null) {
          future.complete(value);
        } else {
          future.completeExceptionally(error);
        }
      };
      try {
        completions.execute(complete);
      } catch (RejectedExecutionException closing) {
        complete.run();
      }
    }

    void abandon() {
      if (claimed.compareAndSet(false, true)) {
        pending.remove(this);
        future.completeExceptionally(call.storeClosed());
      }
    }
  }

  private static ThreadFactory workers(String name, Supplier<Connection> connections,
      List<Worker> started) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Worker w = new Worker(r, name + "-" + n.incrementAndGet(), connections);
      started.add(w);
      return w;
    };
  }
}
