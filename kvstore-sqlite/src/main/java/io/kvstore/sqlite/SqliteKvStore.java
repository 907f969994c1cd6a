package io.kvstore.sqlite;

import io.kvstore.KvException;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.sqlite.internal.DatabaseFile;
import io.kvstore.sqlite.internal.SqliteBackend;
import java.nio.file.Path;

/**
 * Opens the durable embedded store: kvstore on one SQLite file, for a service on one node that
 * keeps its data across restarts, with the same API as the in-memory store and Redis.
 *
 * <pre>{@code
 * KvStore store = SqliteKvStore.open(Path.of("data"));   // data/kvstore.db
 * }</pre>
 *
 * <p><b>Durability.</b> A write's future completes once it is committed. By default
 * ({@link Durability#PROCESS_CRASH}) every acknowledged write survives a crash of the process;
 * {@link Durability#POWER_LOSS} also survives a power loss, for an fsync per commit. A batch
 * ({@code putAll}, {@code deleteAll}) is one transaction: after any crash it is there whole or not
 * at all.
 *
 * <p><b>Files.</b> Given a directory, the store keeps {@code kvstore.db} in it; given another path,
 * that file. Beside it SQLite keeps {@code -wal} and {@code -shm} files while the store is open,
 * and the store keeps {@code .lock}. Copy the database only while no store has it open.
 *
 * <p><b>One process per file.</b> The store holds an exclusive lock on the file while open; a
 * second store on the same file, in this process or another, fails at open with
 * {@link KvUnavailableException} naming the file. The lock dies with the process that held it,
 * even after {@code kill -9}. Each process therefore sees all writes to its file, and a near cache
 * never serves what another process wrote.
 *
 * <p><b>Costs.</b> Every call is one statement or one transaction: one round trip in
 * {@link io.kvstore.KvStats}. {@code getAll} of any size is one statement probing the primary
 * key; listing is a range scan of the primary key, costing the page and not the whole store;
 * {@code listValues} reads keys and values in the same statement. Keys are listed in UTF-8 byte
 * order whatever the namespace's {@link io.kvstore.Listing}; {@code reindex()} has nothing to do.
 * Calls run on threads the store owns (one writer, {@link SqliteOptions#readers()} readers), never
 * on the caller's.
 *
 * <p>The returned store is thread-safe; share one per application and close it at shutdown, which
 * releases the file.
 */
public final class SqliteKvStore {
  private SqliteKvStore() {}

  /**
   * Opens a store with default options, creating the file (and missing directories) if needed.
   *
   * @param path the database file, or a directory to keep {@code kvstore.db} in
   * @return the store
   * @throws KvValidationException if {@code path} is null
   * @throws KvUnavailableException if another store, in this process or another, has it open
   * @throws KvException if the path cannot be written, or the file is not a kvstore database or
   *     was written by a newer kvstore
   */
  public static KvStore open(Path path) {
    return open(path, SqliteOptions.defaults());
  }

  /**
   * Opens a store, creating the file (and missing directories) if needed.
   *
   * @param path the database file, or a directory to keep {@code kvstore.db} in
   * @param options durability, reader connections, sweep interval, clock and observability
   * @return the store
   * @throws KvValidationException if an argument is null
   * @throws KvUnavailableException if another store, in this process or another, has it open
   * @throws KvException if the path cannot be written, or the file is not a kvstore database or
   *     was written by a newer kvstore
   */
  public static KvStore open(Path path, SqliteOptions options) {
    if (path == null) {
      throw new KvValidationException("path", "path must not be null");
    }
    if (options == null) {
      throw new KvValidationException("options", "options must not be null");
    }
    return KvStores.fromBackend(SqliteBackend.open(DatabaseFile.lock(path), options), options);
  }
}
