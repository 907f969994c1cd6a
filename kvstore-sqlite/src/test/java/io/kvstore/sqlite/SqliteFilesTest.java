package io.kvstore.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.testing.Workout;
import io.kvstore.NamespaceOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Opening files: where data lives, what survives a restart, and each bad file's clear error. */
class SqliteFilesTest {
  @TempDir
  Path dir;

  private static KvNamespace<Workout> workouts(KvStore store) {
    return store.namespace(NamespaceOptions.builder("workout", Workout.class).build());
  }

  @Test
  void dataSurvivesCloseAndReopenInTheDirectoryGiven() {
    Workout w = Workout.of("user-1", 1, 1);
    try (KvStore store = SqliteKvStore.open(dir)) {
      workouts(store).blocking().put(w.key(), w);
    }
    assertTrue(Files.exists(dir.resolve("kvstore.db")));
    // Close waited for every connection to close: the last one folded the log into the file.
    assertTrue(Files.notExists(dir.resolve("kvstore.db-wal")), "close left the -wal file");
    try (KvStore store = SqliteKvStore.open(dir.resolve("kvstore.db"))) {
      assertEquals(w, workouts(store).blocking().get(w.key()).orElseThrow());
    }
  }

  @Test
  void missingDirectoriesAreCreated() {
    Path file = dir.resolve("a/b/data.db");
    try (KvStore store = SqliteKvStore.open(file)) {
      workouts(store).blocking().put("k", Workout.of("user-1", 1, 1));
    }
    assertTrue(Files.exists(file));
  }

  @Test
  void aSecondStoreInTheSameProcessFailsAtOpenUntilTheFirstCloses() {
    try (KvStore first = SqliteKvStore.open(dir)) {
      KvUnavailableException e = assertThrows(KvUnavailableException.class,
          () -> SqliteKvStore.open(dir));
      assertTrue(e.getMessage().contains("another store in this process has it open"),
          e.getMessage());
      assertTrue(e.getMessage().contains(dir.resolve("kvstore.db").toString()), e.getMessage());
      workouts(first).blocking().put("k", Workout.of("user-1", 1, 1));
    }
    try (KvStore again = SqliteKvStore.open(dir)) {
      assertTrue(workouts(again).blocking().get("k").isPresent());
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aSecondProcessFailsAtOpenAndTheLockDiesWithTheHolderEvenByKillNine() throws Exception {
    Path db = dir.resolve("shared.db");
    try (ChildJvm holder = ChildJvm.start(HoldOpen.class, dir.resolve("child.log"),
        db.toString())) {
      assertEquals("OPEN", holder.nextLine(2, TimeUnit.MINUTES),
          () -> "the child did not open: " + read(dir.resolve("child.log")));
      KvUnavailableException e = assertThrows(KvUnavailableException.class,
          () -> SqliteKvStore.open(db));
      assertTrue(e.getMessage().contains("another process has it open"), e.getMessage());
      assertTrue(e.getMessage().contains(db.toString()), e.getMessage());
      holder.kill();
    }
    try (KvStore store = SqliteKvStore.open(db)) {
      workouts(store).blocking().put("k", Workout.of("user-1", 1, 1));
    }
  }

  @Test
  void aFileThatIsNotSqliteFailsAtOpenAndIsLeftAlone() throws Exception {
    Path file = dir.resolve("notes.txt");
    String text = "these are my notes, not a database\n".repeat(200);
    Files.writeString(file, text);
    KvException e = assertThrows(KvException.class, () -> SqliteKvStore.open(file));
    assertTrue(e.getMessage().contains("is not a kvstore database (not an SQLite file)"),
        e.getMessage());
    assertEquals(text, Files.readString(file));
    // The failed open released the file.
    Files.delete(file);
    SqliteKvStore.open(file).close();
  }

  @Test
  void anSqliteDatabaseOfAnotherApplicationFailsAtOpenAndIsLeftAlone() throws Exception {
    Path file = dir.resolve("other.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
    }
    byte[] before = Files.readAllBytes(file);
    KvException e = assertThrows(KvException.class, () -> SqliteKvStore.open(file));
    assertTrue(e.getMessage().contains("not a kvstore database (an SQLite database of another"
        + " application"), e.getMessage());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)),
        "the other application's file was modified");

    Path tagged = dir.resolve("tagged.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tagged);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA application_id = 1234");
    }
    e = assertThrows(KvException.class, () -> SqliteKvStore.open(tagged));
    assertTrue(e.getMessage().contains("not a kvstore database (SQLite application id 4d2"),
        e.getMessage());
  }

  @Test
  void aDatabaseOfANewerFormatFailsAtOpen() throws Exception {
    Path file = dir.resolve("kvstore.db");
    try (KvStore store = SqliteKvStore.open(file)) {
      workouts(store).blocking().put("k", Workout.of("user-1", 1, 1));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 2");
    }
    KvException e = assertThrows(KvException.class, () -> SqliteKvStore.open(file));
    assertEquals("cannot open kvstore database " + file + ": it was written in format version 2"
        + " by a newer kvstore; this version reads format 1 and older. Upgrade kvstore to open"
        + " it", e.getMessage());
  }

  @Test
  void aPathThatCannotBeCreatedFailsAtOpen() throws Exception {
    // /proc takes no new files, not even from root.
    KvException e = assertThrows(KvException.class,
        () -> SqliteKvStore.open(Path.of("/proc/kvstore-test/data.db")));
    assertTrue(e.getMessage().startsWith("cannot open kvstore database /proc/kvstore-test/data.db:"
        + " cannot create directory /proc/kvstore-test"), e.getMessage());

    Path notADirectory = dir.resolve("file");
    Files.writeString(notADirectory, "x");
    e = assertThrows(KvException.class,
        () -> SqliteKvStore.open(notADirectory.resolve("data.db")));
    assertTrue(e.getMessage().contains("cannot create directory"), e.getMessage());
  }

  @Test
  void nullArgumentsAreValidationErrors() {
    assertThrows(KvValidationException.class, () -> SqliteKvStore.open(null));
    assertThrows(KvValidationException.class, () -> SqliteKvStore.open(dir, null));
  }

  @Test
  void callsAfterCloseFailAsUnavailable() {
    KvStore store = SqliteKvStore.open(dir);
    KvNamespace<Workout> ns = workouts(store);
    store.close();
    store.close();
    Exception e = assertThrows(Exception.class, () -> ns.blocking().get("k"));
    assertTrue(e instanceof KvUnavailableException || e.getCause() instanceof KvUnavailableException,
        e.toString());
  }

  @Test
  void emptyValuesRoundTrip() {
    try (KvStore store = SqliteKvStore.open(dir)) {
      KvNamespace<byte[]> ns = store.namespace(
          NamespaceOptions.builder("raw", io.kvstore.KvCodec.bytes()).build());
      ns.blocking().put("empty", new byte[0]);
      assertEquals(0, ns.blocking().get("empty").orElseThrow().length);
      assertEquals(Map.of("empty", 0), Map.of("empty",
          ns.blocking().getAll(java.util.List.of("empty", "x")).get("empty").length));
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
