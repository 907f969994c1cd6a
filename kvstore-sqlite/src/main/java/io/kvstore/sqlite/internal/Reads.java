package io.kvstore.sqlite.internal;

import static io.kvstore.sqlite.internal.Rows.KEYS_IN;
import static io.kvstore.sqlite.internal.Rows.LIVE;
import static io.kvstore.sqlite.internal.Rows.blob;
import static io.kvstore.sqlite.internal.Rows.hexArray;
import static io.kvstore.sqlite.internal.Rows.string;
import static io.kvstore.sqlite.internal.Rows.utf8;
import static io.kvstore.sqlite.internal.Rows.value;

import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.ReadRequest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The statements of {@code get} and {@code getAll}: one key by its primary key, many keys in one
 * statement, and the read that slides a TTL (it modifies rows, so it runs on the writer).
 */
final class Reads {
  static final String READ_ONE =
      "SELECT value, expires FROM kv WHERE ns = ? AND key = ? AND " + LIVE;
  /** CROSS JOIN keeps json_each as the outer loop: one primary-key probe per requested key. */
  static final String READ_MANY = "SELECT j.key, kv.value, kv.expires FROM json_each(?) AS j"
      + " CROSS JOIN kv ON kv.ns = ? AND kv.key = unhex(j.value)"
      + " WHERE kv.expires IS NULL OR kv.expires > ?";
  static final String SLIDE = "UPDATE kv SET expires = ? WHERE ns = ? AND " + KEYS_IN
      + " AND " + LIVE + " RETURNING key, value";

  private Reads() {}

  static List<@Nullable RawValue> one(Worker w, BackendNamespace ns, ReadRequest request,
      long now) throws SQLException {
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

  /** Any number of keys in one statement, as one JSON parameter; answers in the keys' order. */
  static List<@Nullable RawValue> many(Worker w, BackendNamespace ns, ReadRequest request,
      long now) throws SQLException {
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
  }

  /**
   * One {@code UPDATE ... RETURNING}: reading and extending the TTL are one atomic statement.
   * Run it in a transaction (see {@link Worker#inTransaction}).
   */
  static List<@Nullable RawValue> sliding(Worker w, BackendNamespace ns, ReadRequest request,
      long now) throws SQLException {
    long expires = now + request.slide().toMillis();
    Instant expiration = request.withExpiration() ? Instant.ofEpochMilli(expires) : null;
    Map<String, Integer> index = Rows.indexOf(request.keys());
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
}
