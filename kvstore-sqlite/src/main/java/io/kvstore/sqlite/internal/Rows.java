package io.kvstore.sqlite.internal;

import io.kvstore.spi.RawValue;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How keys, values and expiry go into statements and come out of rows: the SQL fragments every
 * statement shares and the conversions between the SPI's types and SQLite's.
 */
final class Rows {
  /** A row is live when it never expires or expires after {@code ?}, the store's clock. */
  static final String LIVE = "(expires IS NULL OR expires > ?)";
  /** The keys of one JSON parameter, as {@link #hexArray} writes them. */
  static final String KEYS_IN = "key IN (SELECT unhex(value) FROM json_each(?))";

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Rows() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] bytes) {
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

  static Map<String, Integer> indexOf(List<String> keys) {
    Map<String, Integer> index = new HashMap<>(keys.size() * 2);
    for (int i = 0; i < keys.size(); i++) {
      index.put(keys.get(i), i);
    }
    return index;
  }

  /** A stored value; the driver reads an empty BLOB as {@code null}. */
  static byte[] blob(ResultSet rs, int column) throws SQLException {
    byte[] bytes = rs.getBytes(column);
    return bytes == null ? new byte[0] : bytes;
  }

  static RawValue value(byte[] bytes, ResultSet rs, int expiresColumn, boolean withExpiration)
      throws SQLException {
    return new RawValue(bytes, withExpiration ? expiration(rs, expiresColumn) : null);
  }

  static @Nullable Instant expiration(ResultSet rs, int column) throws SQLException {
    long expires = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(expires);
  }
}
