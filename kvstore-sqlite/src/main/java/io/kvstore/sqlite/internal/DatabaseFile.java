package io.kvstore.sqlite.internal;

import io.kvstore.KvException;
import io.kvstore.KvUnavailableException;
import io.kvstore.sqlite.Durability;
import io.kvstore.sqlite.SqliteOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * One kvstore database file, held by one process at a time.
 *
 * <p><b>One process per file.</b> SQLite itself lets several processes share a file, but a near
 * cache in one process would never hear of the other's writes (there is no invalidation bus
 * between processes), and the background sweep and the single-writer design assume they own the
 * file. So the store takes an exclusive lock on {@code <file>.lock} for as long as it is open, and
 * a second process (or a second store in the same process) fails at open with a message naming
 * the file. The operating system drops the lock when the holder dies, even by {@code kill -9}, so
 * a crash never leaves the file locked.
 *
 * <p><b>Format.</b> The file carries SQLite's {@code application_id} ({@value #APPLICATION_ID},
 * "kvDB") and {@code user_version}, the kvstore format version ({@value #FORMAT_VERSION}). A file
 * that is not SQLite, an SQLite file of another application, or a kvstore file of a newer format
 * fails at open with a {@link KvException} saying which; an empty file or a new path is
 * initialised.
 *
 * <pre>
 * CREATE TABLE kv (ns TEXT, key BLOB, value BLOB, expires INTEGER,
 *                  PRIMARY KEY (ns, key)) WITHOUT ROWID
 * CREATE INDEX kv_expires ON kv (expires) WHERE expires IS NOT NULL
 * </pre>
 * Keys are the UTF-8 bytes of the key, so the primary key orders them as the contract requires
 * (BLOBs compare with {@code memcmp}) and a prefix listing is a range scan. {@code expires} is
 * epoch milliseconds on the store's clock, {@code NULL} for never; the partial index serves the
 * sweep only.
 */
public final class DatabaseFile implements AutoCloseable {
  /** SQLite's application id for kvstore files: "kvDB" in ASCII. */
  static final int APPLICATION_ID = 0x6B764442;

  /** The format this version writes and reads. */
  static final int FORMAT_VERSION = 1;

  /** The file name used when the store is opened on a directory. */
  public static final String DEFAULT_NAME = "kvstore.db";

  private final Path file;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DatabaseFile(Path file, FileChannel lockChannel, FileLock lock) {
    this.file = file;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Resolves the path (a directory gets {@value #DEFAULT_NAME} inside it), creates missing
   * directories and takes the lock.
   *
   * @param path a file or an existing directory
   * @return the locked file
   * @throws KvException if the directory cannot be created or the lock file cannot be written
   * @throws KvUnavailableException if another store holds the file
   */
  public static DatabaseFile lock(Path path) {
    Path file = (Files.isDirectory(path) ? path.resolve(DEFAULT_NAME) : path).toAbsolutePath();
    Path dir = file.getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new KvException("cannot open kvstore database " + file + ": cannot create directory "
          + dir + " (" + reason(e) + ")", e);
    }
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new KvException("cannot open kvstore database " + file + ": cannot write its lock file "
          + lockFile + " (" + reason(e) + "); the directory must be writable", e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new KvUnavailableException("cannot open kvstore database " + file
          + ": another store in this process has it open; share that store", e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new KvException("cannot open kvstore database " + file + ": cannot lock " + lockFile
          + " (" + reason(e) + ")", e);
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new KvUnavailableException("cannot open kvstore database " + file
          + ": another process has it open (it holds the lock on " + lockFile
          + "); one process opens a kvstore database at a time", null);
    }
    return new DatabaseFile(file, channel, lock);
  }

  /**
   * Returns the database file.
   *
   * @return the absolute path
   */
  public Path file() {
    return file;
  }

  /**
   * Opens the writer connection, checks or initialises the format and switches the file to WAL.
   *
   * @param options durability and busy timeout
   * @return the writer connection
   * @throws KvException if the file is not a kvstore database of a format this version reads, or
   *     cannot be written
   */
  Connection openWriter(SqliteOptions options) {
    Connection c = connect(options);
    try (Statement s = c.createStatement()) {
      // Checked before anything is written, so a file of another application is left as it was.
      // The first read of a file that is not SQLite fails here with SQLITE_NOTADB.
      checkFormat(s);
      // Outside a transaction: the journal mode cannot change inside one.
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
        String mode = rs.next() ? rs.getString(1) : "";
        if (!"wal".equalsIgnoreCase(mode)) {
          throw new KvException("cannot open kvstore database " + file
              + ": SQLite refused write-ahead logging (journal mode '" + mode + "')");
        }
      }
      s.execute("BEGIN IMMEDIATE");
      try {
        if (checkFormat(s)) {
          s.execute("CREATE TABLE kv (ns TEXT NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,"
              + " expires INTEGER, PRIMARY KEY (ns, key)) WITHOUT ROWID");
          s.execute("CREATE INDEX kv_expires ON kv (expires) WHERE expires IS NOT NULL");
          s.execute("PRAGMA application_id = " + APPLICATION_ID);
          s.execute("PRAGMA user_version = " + FORMAT_VERSION);
        }
        s.execute("COMMIT");
      } catch (RuntimeException | SQLException e) {
        rollbackQuietly(s);
        throw e;
      }
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw openFailure(e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /**
   * Checks that the file is a kvstore database of a format this version reads.
   *
   * @return {@code true} if the file is empty and must be initialised
   */
  private boolean checkFormat(Statement s) throws SQLException {
    int applicationId = pragma(s, "application_id");
    int version = pragma(s, "user_version");
    if (applicationId == 0 && version == 0) {
      int objects = count(s, "SELECT count(*) FROM sqlite_schema");
      if (objects != 0) {
        throw new KvException("cannot open " + file + ": it is not a kvstore database (an "
            + "SQLite database of another application, holding " + objects + " tables and "
            + "indexes)");
      }
      return true;
    }
    if (applicationId != APPLICATION_ID) {
      throw new KvException("cannot open " + file + ": it is not a kvstore database (SQLite "
          + "application id " + Integer.toHexString(applicationId) + ", kvstore writes "
          + Integer.toHexString(APPLICATION_ID) + ")");
    }
    if (version > FORMAT_VERSION) {
      throw new KvException("cannot open kvstore database " + file + ": it was written in "
          + "format version " + version + " by a newer kvstore; this version reads format "
          + FORMAT_VERSION + " and older. Upgrade kvstore to open it");
    }
    return false;
  }

  /**
   * Opens a connection for reads only: it cannot write, whatever it is asked.
   *
   * @param options the busy timeout
   * @return the connection
   */
  Connection openReader(SqliteOptions options) {
    Connection c = connect(options);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA query_only = 1");
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw openFailure(e);
    }
  }

  private Connection connect(SqliteOptions options) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout((int) options.busyTimeout().toMillis());
    config.setSynchronous(options.durability() == Durability.POWER_LOSS
        ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    try {
      return config.createConnection("jdbc:sqlite:" + file);
    } catch (SQLException e) {
      throw openFailure(e);
    }
  }

  private KvException openFailure(SQLException e) {
    int code = e.getErrorCode() & 0xff;
    if (code == 26) { // SQLITE_NOTADB
      return new KvException("cannot open " + file + ": it is not a kvstore database (not an "
          + "SQLite file)", e);
    }
    if (code == 8 || code == 14) { // SQLITE_READONLY, SQLITE_CANTOPEN
      return new KvException("cannot open kvstore database " + file + " for writing: "
          + e.getMessage() + "; the file and its directory must be writable", e);
    }
    if (code == 5) { // SQLITE_BUSY
      return new KvUnavailableException("cannot open kvstore database " + file
          + ": it is locked by another connection (" + e.getMessage() + ")", e);
    }
    return new KvException("cannot open kvstore database " + file + ": " + e.getMessage(), e);
  }

  private static int pragma(Statement s, String name) throws SQLException {
    return count(s, "PRAGMA " + name);
  }

  private static int count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static void rollbackQuietly(Statement s) {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // No transaction left to roll back: the failure already ended it.
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // Closing after a failure: the first failure is the one reported.
    }
  }

  private static String reason(IOException e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** Releases the lock: another store may open the file. */
  @Override
  public void close() {
    closeQuietly(lock);
    closeQuietly(lockChannel);
  }
}
