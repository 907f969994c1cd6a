package io.kvstore.sqlite.internal;

import static io.kvstore.sqlite.internal.Rows.KEYS_IN;
import static io.kvstore.sqlite.internal.Rows.LIVE;
import static io.kvstore.sqlite.internal.Rows.hexArray;
import static io.kvstore.sqlite.internal.Rows.utf8;

import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.Expiry;
import io.kvstore.spi.RawSwap;
import io.kvstore.spi.RawWrite;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The statements that change rows: {@code put}/{@code putAll}, {@code delete}/{@code deleteAll}
 * and compare-and-set. Each call is one transaction on the writer, so a batch is applied whole or
 * not at all, also after a crash.
 */
final class Writes {
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

  private Writes() {}

  static List<Boolean> write(Worker w, BackendNamespace ns, List<RawWrite> writes, long now)
      throws SQLException {
    return w.inTransaction(() -> {
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
    });
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

  /** Deletes the keys and counts those that were live. */
  static long delete(Worker w, BackendNamespace ns, List<String> keys, long now)
      throws SQLException {
    return w.inTransaction(() -> {
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
    });
  }

  /** Each swap is one conditional UPDATE; the batch is one transaction. */
  static List<Boolean> compareAndSet(Worker w, BackendNamespace ns, List<RawSwap> swaps,
      long now) throws SQLException {
    return w.inTransaction(() -> {
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
    });
  }
}
