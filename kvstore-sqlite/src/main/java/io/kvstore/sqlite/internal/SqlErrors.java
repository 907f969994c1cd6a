package io.kvstore.sqlite.internal;

import io.kvstore.KvException;
import io.kvstore.KvTimeoutException;
import io.kvstore.KvUnavailableException;
import io.kvstore.spi.BackendCall;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

/** Maps SQLite's result codes to what the caller can do about them. */
final class SqlErrors {
  private SqlErrors() {}

  /**
   * The exception a failed call completes with.
   *
   * @param writes whether the call writes: its message then says the write was not applied
   */
  static KvException translate(BackendCall call, SQLException e, boolean writes, Path file,
      Duration busyTimeout) {
    String what = call.describe() + " on kvstore database " + file;
    String notApplied = writes ? "; the write was not applied" : "";
    switch (e.getErrorCode() & 0xff) {
      case 13: // SQLITE_FULL
        return new KvUnavailableException(what + ": the disk is full" + notApplied
            + "; free space and retry", e);
      case 5: // SQLITE_BUSY
      case 6: // SQLITE_LOCKED
        return new KvTimeoutException(what + ": the database stayed locked longer than the busy"
            + " timeout of " + busyTimeout.toMillis() + " ms" + notApplied, false, e);
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
}
