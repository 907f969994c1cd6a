package io.kvstore.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A thread that owns one connection and its prepared statements, and closes them when its pool
 * ends it. Pools keep their threads (no keep-alive), so a connection lives as long as the store.
 * The connection opens on the first statement, on this thread.
 */
final class Worker extends Thread {
  private final Supplier<Connection> opener;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private Connection connection;

  Worker(Runnable pool, String name, Supplier<Connection> opener) {
    super(pool, name);
    this.opener = opener;
    setDaemon(true);
  }

  /** The worker running the current code: every SQL call runs on one. */
  static Worker current() {
    return (Worker) Thread.currentThread();
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

  @FunctionalInterface
  interface SqlSupplier<T> {
    T get() throws SQLException;
  }
}
