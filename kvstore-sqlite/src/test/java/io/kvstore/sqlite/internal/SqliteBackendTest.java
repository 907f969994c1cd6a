package io.kvstore.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.sqlite.Durability;
import io.kvstore.sqlite.SqliteOptions;
import io.kvstore.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The SQL underneath: query plans, pragmas, the sweep. */
class SqliteBackendTest {
  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  private KvStore open(SqliteOptions options) {
    return KvStores.fromBackend(SqliteBackend.open(DatabaseFile.lock(dir), options), options);
  }

  private Connection raw() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DatabaseFile.DEFAULT_NAME));
  }

  private static String plan(Connection c, String sql) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
      while (rs.next()) {
        plan.append(rs.getString(4)).append('\n');
      }
    }
    return plan.toString();
  }

  /**
   * The cost of a getAll follows the keys asked for and a listing the page, never the store:
   * each is a primary-key search, no statement scans the table.
   */
  @Test
  void everyStatementSearchesThePrimaryKey() throws Exception {
    open(SqliteOptions.defaults()).close();
    try (Connection c = raw()) {
      assertTrue(plan(c, Reads.READ_MANY)
          .contains("SEARCH kv USING PRIMARY KEY (ns=? AND key=?)"), plan(c,
              Reads.READ_MANY));
      assertTrue(plan(c, Reads.READ_ONE)
          .contains("SEARCH kv USING PRIMARY KEY (ns=? AND key=?)"));
      for (String sql : List.of(Writes.DELETE, Reads.SLIDE)) {
        String plan = plan(c, sql);
        assertTrue(plan.contains("SEARCH kv USING PRIMARY KEY (ns=? AND key=?)"), plan);
      }
      String bounded = plan(c, Pages.pageSql(true, false, true));
      assertTrue(bounded.contains("SEARCH kv USING PRIMARY KEY (ns=? AND key>? AND key<?)"),
          bounded);
      assertTrue(!bounded.contains("TEMP B-TREE"), "a page must not be sorted: " + bounded);
      String open = plan(c, Pages.pageSql(false, true, false));
      assertTrue(open.contains("SEARCH kv USING PRIMARY KEY (ns=? AND key>?)"), open);
      String sweep = plan(c, Sweeper.SWEEP);
      assertTrue(sweep.contains("USING COVERING INDEX kv_expires (expires<?)"), sweep);
    }
  }

  @Test
  void durabilitySetsSynchronousOnTheWriterAndTheFileIsInWalMode() throws Exception {
    for (Durability d : Durability.values()) {
      try (DatabaseFile file = DatabaseFile.lock(dir);
          Connection writer = file.openWriter(SqliteOptions.builder().durability(d).build());
          Statement s = writer.createStatement()) {
        assertEquals(d == Durability.POWER_LOSS ? 2 : 1, pragma(s, "synchronous"), d.name());
        try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
          rs.next();
          assertEquals("wal", rs.getString(1));
        }
        assertEquals(5000, pragma(s, "busy_timeout"));
      }
    }
  }

  private static int pragma(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void expiredRowsAreSweptInTheBackground() throws Exception {
    try (KvStore store = open(SqliteOptions.builder().clock(clock)
        .sweepInterval(Duration.ofMillis(20)).build())) {
      KvNamespace<String> ns = store.namespace(
          NamespaceOptions.builder("sweep", KvCodec.utf8()).build());
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 25_000; i++) {
        keys.add("k" + i);
      }
      for (int from = 0; from < keys.size(); from += 5000) {
        Map<String, String> batch = new java.util.LinkedHashMap<>();
        for (String k : keys.subList(from, from + 5000)) {
          batch.put(k, "v");
        }
        ns.blocking().putAll(batch, PutOptions.ttl(Duration.ofMinutes(1)));
      }
      ns.blocking().put("forever", "v");
      assertEquals(25_001, rows());
      clock.advance(Duration.ofMinutes(2));
      // Expired rows are never returned, swept or not.
      assertEquals(Map.of(), ns.blocking().getAll(keys.subList(0, 100)));
      // More than one sweep batch: the sweep queues passes until none is full.
      while (rows() > 1) {
        Thread.sleep(20);
      }
      assertEquals("v", ns.blocking().get("forever").orElseThrow());
    }
  }

  private long rows() throws SQLException {
    try (Connection c = raw(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM kv")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aPrefixEndsAtItsLastByteIncremented() {
    assertNull(Pages.prefixEnd(new byte[0]));
    assertArrayEquals("user-43".getBytes(StandardCharsets.UTF_8),
        Pages.prefixEnd("user-42".getBytes(StandardCharsets.UTF_8)));
    assertArrayEquals(new byte[] {'a', 'c'}, Pages.prefixEnd(new byte[] {'a', 'b'}));
    assertArrayEquals(new byte[] {'b'},
        Pages.prefixEnd(new byte[] {'a', (byte) 0xFF, (byte) 0xFF}));
    assertNull(Pages.prefixEnd(new byte[] {(byte) 0xFF}));
  }

  @Test
  void keysGoToSqliteAsHexOfTheirUtf8Bytes() {
    assertEquals("[\"61\",\"c3a9\",\"f09f9880\"]",
        Rows.hexArray(List.of("a", "é", "😀")));
    assertEquals("[]", Rows.hexArray(List.of()));
  }
}
