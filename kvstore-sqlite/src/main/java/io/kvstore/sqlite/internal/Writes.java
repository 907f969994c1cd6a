package io.kvstore.sqlite.internal;

import static io.kvstore.sqlite.internal.Rows.KEYS_IN;
import static io.kvstore.sqlite.internal.Rows.LIVE;
import static io.kvstore.sqlite.internal.Rows.hexArray;
import static io.kvstore.sqlite.internal.Rows.utf8;

import io.kvstore.KvSwap;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.Expiry;
import io.kvstore.spi.RawCount;
import io.kvstore.spi.RawIncrement;
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
 * compare-and-set and counters. Each call is one transaction on the writer, so a batch is applied whole or
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
  /** The live value a conditional write compares. Parameters: ns, key, now. */
  static final String CURRENT = "SELECT value FROM kv WHERE ns = ? AND key = ? AND " + LIVE;
  static final String DELETE_ONE = "DELETE FROM kv WHERE ns = ? AND key = ?";

  private Writes() {}

  static List<Boolean> write(Worker w, BackendNamespace ns, List<RawWrite> writes, long now)
      throws SQLException {
    return w.inTransaction(() -> {
      PreparedStatement ps = w.prepare(WRITE);
      List<Boolean> applied = new ArrayList<>(writes.size());
      for (RawWrite write : writes) {
        applied.add(upsert(ps, ns, write.key(), write.value(), write.expiry(), now,
            write.ifAbsent()));
      }
      return applied;
    });
  }

  /** Runs {@link #WRITE} for one key; whether a row was written. */
  private static boolean upsert(PreparedStatement ps, BackendNamespace ns, String key,
      byte[] value, Expiry expiry, long now, boolean ifAbsent) throws SQLException {
    ps.setString(1, ns.name());
    ps.setBytes(2, utf8(key));
    ps.setBytes(3, value);
    Long expires = expiresAt(expiry, now);
    if (expires == null) {
      ps.setNull(4, Types.INTEGER);
    } else {
      ps.setLong(4, expires);
    }
    ps.setInt(5, expiry instanceof Expiry.Keep ? 1 : 0);
    ps.setLong(6, now);
    ps.setInt(7, ifAbsent ? 1 : 0);
    return ps.executeUpdate() > 0;
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

  /**
   * Each swap reads the key's live value, compares its digest in Java and writes or deletes;
   * the batch is one transaction on the single writer, so nothing lands between compare and
   * set.
   */
  static List<KvSwap> compareAndSet(Worker w, BackendNamespace ns, List<RawSwap> swaps,
      long now) throws SQLException {
    return w.inTransaction(() -> {
      List<KvSwap> outcomes = new ArrayList<>(swaps.size());
      for (RawSwap swap : swaps) {
        KvSwap outcome = swap.check(current(w, ns, swap.key(), now));
        byte[] replacement = swap.replacement();
        if (outcome == KvSwap.APPLIED && replacement == null) {
          PreparedStatement delete = w.prepare(DELETE_ONE);
          delete.setString(1, ns.name());
          delete.setBytes(2, utf8(swap.key()));
          delete.executeUpdate();
        } else if (outcome == KvSwap.APPLIED) {
          upsert(w.prepare(WRITE), ns, swap.key(), replacement, swap.expiry(), now, false);
        }
        outcomes.add(outcome);
      }
      return outcomes;
    });
  }

  /**
   * Reads the counter's live value, adds in Java and writes back, in one transaction on the
   * single writer: nothing lands between read and write. A created counter gets the
   * increment's expiry, an existing one keeps its own.
   */
  static RawCount increment(Worker w, BackendNamespace ns, RawIncrement increment, long now)
      throws SQLException {
    return w.inTransaction(() -> {
      byte[] stored = current(w, ns, increment.key(), now);
      RawCount count = increment.apply(stored);
      if (count.status() == RawCount.Status.APPLIED) {
        upsert(w.prepare(WRITE), ns, increment.key(), count.bytes(),
            stored == null ? increment.expiry() : Expiry.KEEP, now, false);
      }
      return count;
    });
  }

  /** The key's live bytes, or null. */
  private static byte @Nullable [] current(Worker w, BackendNamespace ns, String key, long now)
      throws SQLException {
    PreparedStatement current = w.prepare(CURRENT);
    current.setString(1, ns.name());
    current.setBytes(2, utf8(key));
    current.setLong(3, now);
    try (ResultSet rs = current.executeQuery()) {
      return rs.next() ? rs.getBytes(1) : null;
    }
  }
}
