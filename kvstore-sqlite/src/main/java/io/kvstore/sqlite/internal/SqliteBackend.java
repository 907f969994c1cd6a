package io.kvstore.sqlite.internal;

import io.kvstore.KvException;
import io.kvstore.KvTimeoutException;
import io.kvstore.KvUnavailableException;
import io.kvstore.sqlite.SqliteOptions;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.Expiry;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawSwap;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.kvstore.spi.ReadRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend on one SQLite file: every backend call is one statement or one transaction on one
 * connection, so one round trip.
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
 * {@value #SWEEP_BATCH} per transaction, queueing another pass while a pass fills its batch, so
 * writes interleave with a long sweep.
 */
public final class SqliteBackend implements KvBackend {
  static final int SWEEP_BATCH = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(SqliteBackend.class);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static final String LIVE = "(expires IS NULL OR expires > ?)";
  static final String READ_ONE =
      "SELECT value, expires FROM kv WHERE ns = ? AND key = ? AND " + LIVE;
  /** CROSS JOIN keeps json_each as the outer loop: one primary-key probe per requested key. */
  static final String READ_MANY = "SELECT j.key, kv.value, kv.expires FROM json_each(?) AS j"
      + " CROSS JOIN kv ON kv.ns = ? AND kv.key = unhex(j.value)"
      + " WHERE kv.expires IS NULL OR kv.expires > ?";
  private static final String KEYS_IN = "key IN (SELECT unhex(value) FROM json_each(?))";
  static final String SLIDE = "UPDATE kv SET expires = ? WHERE ns = ? AND " + KEYS_IN
      + " AND " + LIVE + " RETURNING key, value";
  static final String DELETE = "DELETE FROM kv WHERE ns = ? AND " + KEYS_IN
      + " RETURNING expires";
  /**
   * One upsert for every kind of write. Parameters: ns, key, value, expires (null for none or
   * keep), keep (1 keeps a live row's expires), now, ifAbsent (1 writes over an expired row
   * only). {@code executeUpdate} returns 0 exactly when an ifAbsent write met a live row.
   */
  static final String WRITE = "INSERT INTO kv (ns, key, value, expires) VALUES (?, ?, ?, ?)"
      + " ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires = CASE"
      + " WHEN ?5 AND (kv.expires IS NULL OR kv.expires > ?6) THEN kv.expires"
      + " ELSE excluded.expires END"
      + " WHERE ?7 = 0 OR kv.expires <= ?6";
  static final String SWAP = "UPDATE kv SET value = ? WHERE ns = ? AND key = ? AND value = ?"
      + " AND " + LIVE;
  static final String SWEEP = "DELETE FROM kv WHERE (ns, key) IN"
      + " (SELECT ns, key FROM kv WHERE expires <= ? LIMIT " + SWEEP_BATCH + ")";

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
  private final List<Worker> workers = new java.util.concurrent.CopyOnWriteArrayList<>();

  private SqliteBackend(DatabaseFile file, SqliteOptions options, Connection writerConnection) {
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
    this.completions = Executors.newCachedThreadPool(daemon("kvstore-sqlite-completion"));
    long sweepMillis = options.sweepInterval().toMillis();
    writer.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
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
      return new SqliteBackend(file, options, file.openWriter(options));
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public CompletableFuture<List<@Nullable RawValue>> read(BackendCall call, BackendNamespace ns,
      ReadRequest request) {
    if (request.slide() != null) {
      return submit(call, writer, true,
          (w, now) -> w.inTransaction(() -> slide(w, ns, request, now)));
    }
    if (request.keys().size() == 1) {
      return submit(call, readers, false, (w, now) -> readOne(w, ns, request, now));
    }
    return submit(call, readers, false, (w, now) -> {
      PreparedStatement ps = w.prepare(READ_MANY);
      ps.setString(1, hexArray(request.keys()));
      ps.setString(2, ns.name());
      ps.setLong(3, now);
      RawValue[] values = new RawValue[request.keys().size()];
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          values[rs.getInt(1)] = value(blob(rs, 2), rs, 3, request.withExpiration());
        }
      }
      return Arrays.asList(values);
    });
  }

  private static List<@Nullable RawValue> readOne(Worker w, BackendNamespace ns,
      ReadRequest request, long now) throws SQLException {
    PreparedStatement ps = w.prepare(READ_ONE);
    ps.setString(1, ns.name());
    ps.setBytes(2, utf8(request.keys().get(0)));
    ps.setLong(3, now);
    try (ResultSet rs = ps.executeQuery()) {
      List<@Nullable RawValue> values = new ArrayList<>(1);
      values.add(rs.next() ? value(blob(rs, 1), rs, 2, request.withExpiration()) : null);
      return values;
    }
  }

  /** One {@code UPDATE ... RETURNING}: reading and extending the TTL are one atomic statement. */
  private static List<@Nullable RawValue> slide(Worker w, BackendNamespace ns,
      ReadRequest request, long now) throws SQLException {
    long expires = now + request.slide().toMillis();
    Instant expiration = request.withExpiration() ? Instant.ofEpochMilli(expires) : null;
    Map<String, Integer> index = indexOf(request.keys());
    PreparedStatement ps = w.prepare(SLIDE);
    ps.setLong(1, expires);
    ps.setString(2, ns.name());
    ps.setString(3, hexArray(request.keys()));
    ps.setLong(4, now);
    RawValue[] values = new RawValue[request.keys().size()];
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        values[index.get(string(rs.getBytes(1)))] = new RawValue(blob(rs, 2), expiration);
      }
    }
    return Arrays.asList(values);
  }

  @Override
  public CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes) {
    return submit(call, writer, true, (w, now) -> w.inTransaction(() -> {
      PreparedStatement ps = w.prepare(WRITE);
      List<Boolean> applied = new ArrayList<>(writes.size());
      for (RawWrite write : writes) {
        ps.setString(1, ns.name());
        ps.setBytes(2, utf8(write.key()));
        ps.setBytes(3, write.value());
        Long expires = expiresAt(write.expiry(), now);
        if (expires == null) {
          ps.setNull(4, Types.INTEGER);
        } else {
          ps.setLong(4, expires);
        }
        ps.setInt(5, write.expiry() instanceof Expiry.Keep ? 1 : 0);
        ps.setLong(6, now);
        ps.setInt(7, write.ifAbsent() ? 1 : 0);
        applied.add(ps.executeUpdate() > 0);
      }
      return applied;
    }));
  }

  private static @Nullable Long expiresAt(Expiry expiry, long now) {
    if (expiry instanceof Expiry.After after) {
      return now + after.ttl().toMillis();
    }
    if (expiry instanceof Expiry.At at) {
      return at.instant().toEpochMilli();
    }
    return null;
  }

  @Override
  public CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns,
      List<String> keys) {
    return submit(call, writer, true, (w, now) -> w.inTransaction(() -> {
      PreparedStatement ps = w.prepare(DELETE);
      ps.setString(1, ns.name());
      ps.setString(2, hexArray(keys));
      long live = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long expires = rs.getLong(1);
          if (rs.wasNull() || expires > now) {
            live++;
          }
        }
      }
      return live;
    }));
  }

  /** Each swap is one conditional UPDATE; the batch is one transaction. */
  @Override
  public CompletableFuture<List<Boolean>> compareAndSet(BackendCall call, BackendNamespace ns,
      List<RawSwap> swaps) {
    return submit(call, writer, true, (w, now) -> w.inTransaction(() -> {
      PreparedStatement ps = w.prepare(SWAP);
      List<Boolean> applied = new ArrayList<>(swaps.size());
      for (RawSwap swap : swaps) {
        ps.setBytes(1, swap.replacement());
        ps.setString(2, ns.name());
        ps.setBytes(3, utf8(swap.key()));
        ps.setBytes(4, swap.expected());
        ps.setLong(5, now);
        applied.add(ps.executeUpdate() > 0);
      }
      return applied;
    }));
  }

  @Override
  public CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return submit(call, readers, false, (w, now) -> {
      List<RawKey> keys = new ArrayList<>(Math.min(request.limit(), 128));
      String next = page(w, ns, request, false, now, rs -> keys.add(
          new RawKey(string(rs.getBytes(1)), expiration(rs, 2))));
      return new RawPage<>(keys, next);
    });
  }

  /**
   * One round trip: one SELECT of keys and values; under a sliding TTL, one transaction on the
   * writer that selects the page and extends its keys' TTLs.
   */
  @Override
  public CompletableFuture<RawPage<RawEntry>> listValues(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    if (request.slide() == null) {
      return submit(call, readers, false, (w, now) -> {
        List<RawEntry> entries = new ArrayList<>(Math.min(request.limit(), 128));
        String next = page(w, ns, request, true, now, rs -> entries.add(
            new RawEntry(string(rs.getBytes(1)), blob(rs, 3), expiration(rs, 2))));
        return new RawPage<>(entries, next);
      });
    }
    return submit(call, writer, true, (w, now) -> w.inTransaction(() -> {
      long expires = now + request.slide().toMillis();
      List<String> keys = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      String next = page(w, ns, request, true, now, rs -> {
        keys.add(string(rs.getBytes(1)));
        values.add(blob(rs, 3));
      });
      if (!keys.isEmpty()) {
        PreparedStatement ps = w.prepare("UPDATE kv SET expires = ? WHERE ns = ? AND " + KEYS_IN);
        ps.setLong(1, expires);
        ps.setString(2, ns.name());
        ps.setString(3, hexArray(keys));
        ps.executeUpdate();
      }
      List<RawEntry> entries = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        entries.add(new RawEntry(keys.get(i), values.get(i), Instant.ofEpochMilli(expires)));
      }
      return new RawPage<>(entries, next);
    }));
  }

  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  /**
   * Selects one page in key order, starting at the prefix or after the token, asking for one row
   * more than the limit: if it exists, the page is full and the listing resumes after its last
   * key, which is the token returned.
   */
  private static @Nullable String page(Worker w, BackendNamespace ns, ListRequest request,
      boolean values, long now, RowReader reader) throws SQLException {
    byte[] prefix = utf8(request.prefix());
    byte[] end = prefixEnd(prefix);
    PreparedStatement ps = w.prepare(pageSql(values, request.token() != null, end != null));
    int p = 1;
    ps.setString(p++, ns.name());
    ps.setBytes(p++, request.token() == null ? prefix : utf8(request.token()));
    if (end != null) {
      ps.setBytes(p++, end);
    }
    ps.setLong(p++, now);
    ps.setInt(p, request.limit() + 1);
    int rows = 0;
    byte[] last = null;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (rows == request.limit()) {
          return string(last);
        }
        last = rs.getBytes(1);
        reader.read(rs);
        rows++;
      }
    }
    return null;
  }

  /** A page's SELECT: from the prefix or after a token, up to the prefix's end or unbounded. */
  static String pageSql(boolean values, boolean afterToken, boolean bounded) {
    return "SELECT key, expires" + (values ? ", value" : "") + " FROM kv WHERE ns = ?"
        + (afterToken ? " AND key > ?" : " AND key >= ?")
        + (bounded ? " AND key < ?" : "")
        + " AND " + LIVE + " ORDER BY key LIMIT ?";
  }

  /**
   * The first byte string after every string starting with {@code prefix}, or {@code null} when
   * none is (empty prefix). UTF-8 never contains 0xFF, so incrementing the last byte suffices;
   * trailing 0xFF bytes are dropped anyway, to be exact for any bytes.
   */
  static byte @Nullable [] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return null;
  }

  @Override
  public CompletableFuture<Void> ping(BackendCall call) {
    return submit(call, readers, false, (w, now) -> {
      try (ResultSet rs = w.prepare("SELECT 1").executeQuery()) {
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
   * Closes the store: calls still queued fail with {@link KvUnavailableException} (they never
   * touched the data), calls running finish, then every connection closes on its own thread
   * (the last one checkpoints the write-ahead log into the file) and the lock is released.
   */
  @Override
  public void close() {
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

  @Override
  public String toString() {
    return "sqlite " + file.file() + " (" + options.durability() + ")";
  }

  // ---------------------------------------------------------------- sweep

  private void sweep() {
    if (closed.get()) {
      return;
    }
    Worker w = (Worker) Thread.currentThread();
    try {
      PreparedStatement ps = w.prepare(SWEEP);
      ps.setLong(1, clock.millis());
      if (ps.executeUpdate() == SWEEP_BATCH) {
        // More to sweep: queue another pass behind the writes that arrived meanwhile.
        writer.execute(this::sweep);
      }
    } catch (RejectedExecutionException closing) {
      // The store closed while this pass ran: the next open sweeps what is left.
    } catch (SQLException e) {
      LOG.warn("kvstore database {}: sweeping expired entries failed; the next sweep retries",
          file.file(), e);
    }
  }

  /** Sweeps now, on the writer, and waits: for tests. */
  void sweepNow() {
    CompletableFuture.runAsync(this::sweep, writer).join();
  }

  // ---------------------------------------------------------------- calls

  @FunctionalInterface
  interface Work<T> {
    T run(Worker worker, long now) throws SQLException;
  }

  private <T> CompletableFuture<T> submit(BackendCall call, ExecutorService lane, boolean writes,
      Work<T> work) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(closedError(call));
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

  private KvUnavailableException closedError(BackendCall call) {
    return new KvUnavailableException(call.describe() + ": the store is closed", null);
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
        result = work.run((Worker) Thread.currentThread(), clock.millis());
      } catch (SQLException e) {
        failure = translate(call, e, writes);
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
        future.completeExceptionally(closedError(call));
      }
    }
  }

  /** Maps SQLite's result codes to what the caller can do about them. */
  private KvException translate(BackendCall call, SQLException e, boolean writes) {
    String what = call.describe() + " on kvstore database " + file.file();
    String notApplied = writes ? "; the write was not applied" : "";
    switch (e.getErrorCode() & 0xff) {
      case 13: // SQLITE_FULL
        return new KvUnavailableException(what + ": the disk is full" + notApplied
            + "; free space and retry", e);
      case 5: // SQLITE_BUSY
      case 6: // SQLITE_LOCKED
        return new KvTimeoutException(what + ": the database stayed locked longer than the busy"
            + " timeout of " + options.busyTimeout().toMillis() + " ms" + notApplied, false, e);
      case 8: // SQLITE_READONLY
        return new KvUnavailableException(what + ": the database cannot be written ("
            + e.getMessage() + ")" + notApplied, e);
      case 10: // SQLITE_IOERR
        return new KvUnavailableException(what + ": I/O error (" + e.getMessage() + ")"
            + notApplied, e);
      case 11: // SQLITE_CORRUPT
      case 26: // SQLITE_NOTADB
        return new KvException(what + ": the database file is damaged (" + e.getMessage() + ")",
            e);
      default:
        return new KvException(what + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- connections

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
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

  /**
   * A thread that owns one connection and its prepared statements, and closes them when its pool
   * ends it. Pools keep their threads (no keep-alive), so a connection lives as long as the store.
   */
  static final class Worker extends Thread {
    private final Supplier<Connection> opener;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private Connection connection;

    Worker(Runnable pool, String name, Supplier<Connection> opener) {
      super(pool, name);
      this.opener = opener;
      setDaemon(true);
    }

    PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement ps = statements.get(sql);
      if (ps == null) {
        if (connection == null) {
          connection = opener.get();
        }
        ps = connection.prepareStatement(sql);
        statements.put(sql, ps);
      }
      return ps;
    }

    /**
     * Runs {@code work} in one immediate transaction, rolled back if it fails. Statements that
     * modify and return rows ({@code RETURNING}) run in one too: in autocommit their commit would
     * happen when the result set closes, where a failure to commit is not reported.
     */
    <T> T inTransaction(SqlSupplier<T> work) throws SQLException {
      prepare("BEGIN IMMEDIATE").execute();
      try {
        T result = work.get();
        prepare("COMMIT").execute();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          prepare("ROLLBACK").execute();
        } catch (SQLException rollback) {
          // SQLite ends the transaction itself after some errors (a full disk, say); then
          // there is nothing to roll back.
          e.addSuppressed(rollback);
        }
        throw e;
      }
    }

    @Override
    public void run() {
      try {
        super.run();
      } finally {
        for (PreparedStatement ps : statements.values()) {
          DatabaseFile.closeQuietly(ps);
        }
        if (connection != null) {
          DatabaseFile.closeQuietly(connection);
        }
      }
    }
  }

  @FunctionalInterface
  interface SqlSupplier<T> {
    T get() throws SQLException;
  }

  // ---------------------------------------------------------------- encoding

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A JSON array of each key's UTF-8 bytes in hex: no escaping to get wrong. */
  static String hexArray(List<String> keys) {
    StringBuilder sb = new StringBuilder(keys.size() * 24 + 2).append('[');
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"');
      for (byte b : utf8(keys.get(i))) {
        sb.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
      }
      sb.append('"');
    }
    return sb.append(']').toString();
  }

  private static Map<String, Integer> indexOf(List<String> keys) {
    Map<String, Integer> index = new HashMap<>(keys.size() * 2);
    for (int i = 0; i < keys.size(); i++) {
      index.put(keys.get(i), i);
    }
    return index;
  }

  /** A stored value; the driver reads an empty BLOB as {@code null}. */
  private static byte[] blob(ResultSet rs, int column) throws SQLException {
    byte[] bytes = rs.getBytes(column);
    return bytes == null ? new byte[0] : bytes;
  }

  private static RawValue value(byte[] bytes, ResultSet rs, int expiresColumn,
      boolean withExpiration) throws SQLException {
    return new RawValue(bytes, withExpiration ? expiration(rs, expiresColumn) : null);
  }

  private static @Nullable Instant expiration(ResultSet rs, int column) throws SQLException {
    long expires = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(expires);
  }
}
