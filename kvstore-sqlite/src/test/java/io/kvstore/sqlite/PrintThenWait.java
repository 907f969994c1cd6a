package io.kvstore.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child for {@link ChildJvmTest}: prints {@code PUT 0} to {@code PUT n-1} on standard error,
 * creates a marker file once they are all written, and sleeps until killed.
 */
final class PrintThenWait {
  private PrintThenWait() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[1]);
    for (int i = 0; i < n; i++) {
      System.err.println("PUT " + i);
    }
    System.err.flush();
    Files.createFile(Path.of(args[0]));
    Thread.sleep(600_000);
  }
}
