package io.kvstore.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a writing process, {@value #KILLS} times, at random moments: a child JVM
 * writes batches ({@link CrashWriter}) and prints each one acknowledged; after each kill the
 * database is reopened here and every acknowledged {@code putAll} must be there whole, every
 * acknowledged {@code deleteAll} gone whole, and the one batch in flight at the kill either
 * whole or absent, never in part. The next child continues on the same file.
 *
 * <p>The child also writes each acknowledgement to a file of its own, after printing it. The
 * parent checks that it heard every line of that file, so a fault of the harness fails as one
 * ("the parent did not hear ...") instead of looking like a lost write. That is how the
 * intermittent failure of the first version (an acknowledged batch read back absent while the
 * next two were present) was found to be the harness's: the parent killed the child with
 * {@link Process#destroyForcibly()}, which also closes the parent's end of the child's pipe, and
 * lost the last lines its reader had not read yet (in one such case the delete of that very
 * batch). See {@link ChildJvm} and {@link ChildJvmTest}. Before the fix, 3 runs lost 1, 3 and 4
 * lines; after it, none in any run.
 */
class CrashTest {
  static final int KILLS = 24;

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void everyAcknowledgedBatchSurvivesKillNineAndNoBatchIsPartial() throws Exception {
    Path db = dir.resolve("crash.db");
    // Kept after the run, for a failure's post-mortem.
    Path log = Files.createDirectories(Path.of("target")).resolve("crash-children.log");
    Files.deleteIfExists(log);
    Random random = new Random(20261207);
    // What each batch written so far must look like: present whole (true) or absent (false).
    // A batch whose put or delete was in flight at a kill may be either; the first reopen
    // settles it, since no later child touches it again.
    Map<Integer, Boolean> expected = new HashMap<>();
    int acknowledgedPuts = 0;
    int acknowledgedDeletes = 0;
    int inFlightApplied = 0;
    int next = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      List<String> lines = new ArrayList<>();
      Path acknowledged = dir.resolve("acknowledged-" + kill);
      try (ChildJvm child = ChildJvm.start(CrashWriter.class, log, db.toString(),
          Integer.toString(next), acknowledged.toString())) {
        String open = child.nextLine(2, TimeUnit.MINUTES);
        if (!"OPEN".equals(open)) {
          fail("child " + kill + " did not open the store: " + open + "; see " + log + ":\n"
              + Files.readString(log));
        }
        // Let it write for a random while: from at once to about 40 batches.
        int acks = random.nextInt(40);
        for (int i = 0; i < acks; i++) {
          String line = child.nextLine(1, TimeUnit.MINUTES);
          if (line == null) {
            fail("child " + kill + " stopped writing; see " + log);
          }
          lines.add(line);
        }
        Thread.sleep(random.nextInt(20));
        child.kill();
        lines.addAll(child.drain());
      }
      checkHeardEveryAcknowledgement(kill, lines, acknowledged);
      int first = next;
      int last = first - 1;
      for (String line : lines) {
        int batch = Integer.parseInt(line.substring(4));
        if (line.startsWith("PUT ")) {
          expected.put(batch, true);
          acknowledgedPuts++;
          last = batch;
        } else {
          expected.put(batch, false);
          acknowledgedDeletes++;
        }
      }
      // Every line is flushed before the next call starts, so at most one call was in flight:
      // the put of the batch after the last acknowledged one, or the delete that follows the
      // last acknowledged put (see CrashWriter).
      Set<Integer> undecided = new HashSet<>();
      boolean deleteFollows = last >= first && last % 3 == 0 && last - 2 >= first;
      if (deleteFollows && Boolean.TRUE.equals(expected.get(last - 2))) {
        undecided.add(last - 2);
      }
      undecided.add(last + 1);
      // The next child starts beyond the batch in flight: a batch number is written once.
      next = last + 2;
      try (KvStore store = SqliteKvStore.open(db)) {
        KvNamespace<String> ns = store.namespace(CrashWriter.options());
        for (int batch = 0; batch < next; batch++) {
          Map<String, String> found = ns.blocking().getAll(CrashWriter.keys(batch));
          String where = "after kill " + (kill + 1) + " (child wrote from " + first
              + ", printed " + lines + "), batch " + batch;
          if (found.size() != 0 && found.size() != CrashWriter.BATCH) {
            fail(where + " is partial: " + found.size() + " of " + CrashWriter.BATCH + " keys");
          }
          boolean present = found.size() == CrashWriter.BATCH;
          if (undecided.contains(batch)) {
            if (batch == last + 1 && present) {
              inFlightApplied++;
            }
            expected.put(batch, present);
          } else if (expected.containsKey(batch)) {
            assertEquals(expected.get(batch), present, where + "; log " + log + ", batches "
                + (last - 3) + ".." + (last + 1) + " hold " + counts(ns, last - 3, last + 1)
                + (present ? " was deleted (acknowledged) but is back" : " was acknowledged but is lost"));
          } else {
            assertEquals(false, present, where + " was never written but is there");
          }
          String value = "batch " + batch + " ";
          assertTrue(found.values().stream().allMatch(v -> v.startsWith(value)), where);
        }
      }
    }
    System.out.printf("crash test: %d kills, %d batches acknowledged, %d deletes acknowledged,"
        + " %d in-flight batches found whole after the kill%n", KILLS, acknowledgedPuts,
        acknowledgedDeletes, inFlightApplied);
    assertTrue(acknowledgedPuts >= KILLS * 5, "the children wrote too little to test anything");
  }

  /**
   * The acknowledgement file must hold what the parent heard, or all of it but the last line (the
   * child was killed between printing that line and writing it): never a line the parent missed.
   */
  private static void checkHeardEveryAcknowledgement(int kill, List<String> heard,
      Path acknowledged) throws java.io.IOException {
    List<String> written = Files.exists(acknowledged) ? Files.readAllLines(acknowledged)
        : List.of();
    boolean prefix = written.size() <= heard.size()
        && written.equals(heard.subList(0, written.size()))
        && heard.size() - written.size() <= 1;
    if (!prefix) {
      fail("child " + kill + ": the parent did not hear every acknowledgement (a fault of the"
          + " test harness, not of the store): heard " + heard + ", the child wrote " + written);
    }
  }

  private static List<Integer> counts(KvNamespace<String> ns, int from, int to) {
    List<Integer> counts = new ArrayList<>();
    for (int batch = from; batch <= to; batch++) {
      counts.add(ns.blocking().getAll(CrashWriter.keys(batch)).size());
    }
    return counts;
  }
}
