package io.kvstore.sqlite.internal;

import static io.kvstore.sqlite.internal.Rows.KEYS_IN;
import static io.kvstore.sqlite.internal.Rows.LIVE;
import static io.kvstore.sqlite.internal.Rows.blob;
import static io.kvstore.sqlite.internal.Rows.expiration;
import static io.kvstore.sqlite.internal.Rows.hexArray;
import static io.kvstore.sqlite.internal.Rows.string;
import static io.kvstore.sqlite.internal.Rows.utf8;

import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Listing: a page is a range of the primary key, from the prefix (or after the last key of the
 * page before, the token) to the prefix's end, in UTF-8 byte order, so it costs the page and not
 * the store.
 */
final class Pages {
  private Pages() {}

  static RawPage<RawKey> keys(Worker w, BackendNamespace ns, ListRequest request, long now)
      throws SQLException {
    List<RawKey> keys = new ArrayList<>(Math.min(request.limit(), 128));
    String next = page(w, ns, request, false, now, rs -> keys.add(
        new RawKey(string(rs.getBytes(1)), expiration(rs, 2))));
    return new RawPage<>(keys, next);
  }

  /** One SELECT of keys and values. */
  static RawPage<RawEntry> values(Worker w, BackendNamespace ns, ListRequest request, long now)
      throws SQLException {
    List<RawEntry> entries = new ArrayList<>(Math.min(request.limit(), 128));
    String next = page(w, ns, request, true, now, rs -> entries.add(
        new RawEntry(string(rs.getBytes(1)), blob(rs, 3), expiration(rs, 2))));
    return new RawPage<>(entries, next);
  }

  /**
   * Under a sliding TTL: one transaction on the writer that selects the page and extends its
   * keys' TTLs.
   */
  static RawPage<RawEntry> slidingValues(Worker w, BackendNamespace ns, ListRequest request,
      long now) throws SQLException {
    return w.inTransaction(() -> {
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
    });
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
}
