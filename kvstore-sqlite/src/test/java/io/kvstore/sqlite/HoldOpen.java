package io.kvstore.sqlite;

import io.kvstore.KvStore;
import java.nio.file.Path;

/** A child process that opens a store, says so, and keeps it open until killed or its stdin ends. */
final class HoldOpen {
  private HoldOpen() {}

  public static void main(String[] args) throws Exception {
    try (KvStore store = SqliteKvStore.open(Path.of(args[0]))) {
      System.err.println("OPEN");
      System.err.flush();
      while (System.in.read() != -1) {
        // Held open until the parent closes our stdin or kills us.
      }
    }
  }
}
