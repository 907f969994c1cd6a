package io.kvstore.sqlite.internal;

import io.kvstore.KvException;
import io.kvstore.KvSwap;
import io.kvstore.sqlite.SqliteOptions;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawCount;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawIncrement;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawSwap;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.kvstore.spi.ReadRequest;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The backend on one SQLite file: every backend call is one statement or one transaction on one
 * connection, so one round trip. This class only routes each call to its lane and its SQL; the
 * parts are {@link Lanes} (threads, connections, close), {@link Reads}, {@link Writes},
 * {@link Pages} (listing), {@link Sweeper} (expiry), {@link SqlErrors} and {@link Rows}
 * (encoding), with {@link DatabaseFile} for the lock and the format.
 *
 * <p><b>Threads and connections.</b> SQLite allows one writer at a time per file, and in WAL mode
 * readers never wait for it. So the store has one writer connection on one thread, which takes
 * every write, delete, compare-and-set and read that slides a TTL (they modify rows), and the
 * background sweep; and {@link SqliteOptions#readers()} reader connections, each on a thread of its
 * own, which take plain reads, listings and pings. Each connection is used by its thread only and
 * keeps its prepared statements. No caller's thread ever runs SQL: a call queues its work and
 * returns a future. The future is completed on a third, small pool, never on a connection's
 * thread, so a caller that blocks inside a callback (say, a blocking {@code put} inside
 * {@code thenApply} of a {@code put}) blocks a completion thread, not the one writer it would wait
 * for.
 *
 * <p><b>Order.</b> A write's future completes after its commit, and every read statement starts a
 * new snapshot, so a call issued after another's future completed sees its effect. Writes are
 * applied in the order they were issued (one writer thread, one queue).
 *
 * <p><b>Batches.</b> A batch of keys goes into one statement as one parameter, a JSON array of
 * the keys' UTF-8 bytes in hex, which {@code json_each} and {@code unhex} turn back into keys
 * probed in the primary key: one prepared statement for any batch size, and no limit on host
 * parameters. Batch writes are one {@code BEGIN IMMEDIATE ... COMMIT}, so a {@code putAll} is
 * visible whole or not at all, also after a crash.
 *
 * <p><b>Expiry.</b> Every statement filters rows whose {@code expires} is at or before the
 * store's clock, so an expired entry is never returned, written over as if present, or counted as
 * deleted. Every {@link SqliteOptions#sweepInterval()} the writer deletes expired rows, at most
 * {@value Sweeper#SWEEP_BATCH} per transaction, queueing another pass while a pass fills its
 * batch, so writes interleave with a long sweep.
 */
public final class SqliteBackend implements KvBackend {
  private final DatabaseFile file;
  private final SqliteOptions options;
  private final Lanes lanes;

  private SqliteBackend(DatabaseFile file, SqliteOptions options, Lanes lanes) {
    this.file = file;
    this.options = options;
    this.lanes = lanes;
    Sweeper.start(lanes, options.clock(), file.file(), options.sweepInterval());
  }

  /**
   * Opens the backend on a file: locks it, checks or initialises its format, opens the writer.
   *
   * @param file the locked file; closed by the backend, also if opening fails
   * @param options the store's options
   * @return the backend
   * @throws KvException if the file cannot be opened as a kvstore database
   */
  public static SqliteBackend open(DatabaseFile file, SqliteOptions options) {
    try {
      return new SqliteBackend(file, options,
          new Lanes(file, options, file.openWriter(options)));
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  @Override
  public Clock clock() {
    return options.clock();
  }

  @Override
  public CompletableFuture<List<@Nullable RawValue>> read(BackendCall call, BackendNamespace ns,
      ReadRequest request) {
    if (request.slide() != null) {
      return lanes.onWriter(call,
          (w, now) -> w.inTransaction(() -> Reads.sliding(w, ns, request, now)));
    }
    if (request.keys().size() == 1) {
      return lanes.onReader(call, (w, now) -> Reads.one(w, ns, request, now));
    }
    return lanes.onReader(call, (w, now) -> Reads.many(w, ns, request, now));
  }

  @Override
  public CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes) {
    return lanes.onWriter(call, (w, now) -> Writes.write(w, ns, writes, now));
  }

  @Override
  public CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns,
      List<String> keys) {
    return lanes.onWriter(call, (w, now) -> Writes.delete(w, ns, keys, now));
  }

  @Override
  public CompletableFuture<List<KvSwap>> compareAndSet(BackendCall call, BackendNamespace ns,
      List<RawSwap> swaps) {
    return lanes.onWriter(call, (w, now) -> Writes.compareAndSet(w, ns, swaps, now));
  }

  @Override
  public CompletableFuture<RawCount> increment(BackendCall call, BackendNamespace ns,
      RawIncrement increment) {
    return lanes.onWriter(call, (w, now) -> Writes.increment(w, ns, increment, now));
  }

  @Override
  public CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return lanes.onReader(call, (w, now) -> Pages.keys(w, ns, request, now));
  }

  /**
   * One round trip: one SELECT of keys and values; under a sliding TTL, one transaction on the
   * writer that selects the page and extends its keys' TTLs.
   */
  @Override
  public CompletableFuture<RawPage<RawEntry>> listValues(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    if (request.slide() == null) {
      return lanes.onReader(call, (w, now) -> Pages.values(w, ns, request, now));
    }
    return lanes.onWriter(call, (w, now) -> Pages.slidingValues(w, ns, request, now));
  }

  @Override
  public CompletableFuture<Void> ping(BackendCall call) {
    return lanes.onReader(call, (w, now) -> {
      try (var rs = w.prepare("SELECT 1").executeQuery()) {
        rs.next();
      }
      return null;
    });
  }

  /** OpenTelemetry's well-known name for SQLite. */
  @Override
  public String systemName() {
    return "sqlite";
  }

  /**
   * Closes the store: calls still queued fail with {@link io.kvstore.KvUnavailableException}
   * (they never touched the data), calls running finish, then every connection closes on its own
   * thread (the last one checkpoints the write-ahead log into the file) and the lock is released.
   */
  @Override
  public void close() {
    lanes.close();
  }

  @Override
  public String toString() {
    return "sqlite " + file.file() + " (" + options.durability() + ")";
  }
}
