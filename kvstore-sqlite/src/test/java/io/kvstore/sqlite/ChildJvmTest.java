package io.kvstore.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness of {@link CrashTest}: every line a child printed before {@code kill -9} reaches the
 * parent, however far behind the parent's reading is. Deterministic: nothing is read until the
 * child has printed everything and been killed. With {@link Process#destroyForcibly()} in
 * {@link ChildJvm#kill()} (before the fix) this read none of the 50 lines ("Stream closed"):
 * the lost acknowledgements behind CrashTest's intermittent failure.
 */
class ChildJvmTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void everyLinePrintedBeforeKillNineIsReadAfterIt() throws Exception {
    Path printed = dir.resolve("printed");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("PUT " + i);
    }
    try (ChildJvm child = ChildJvm.start(PrintThenWait.class, dir.resolve("child.log"),
        printed.toString(), "50")) {
      while (!Files.exists(printed)) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      child.kill();
      assertEquals(expected, child.drain());
    }
  }
}
