package io.kvstore.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvUnavailableException;
import io.kvstore.NamespaceOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk: the database lives on a 2 MiB tmpfs, written until a write fails. That write must
 * fail with a clear error and leave nothing of it; every write acknowledged before it must be
 * readable at once and after reopening on a larger disk. Mounting needs root (or
 * CAP_SYS_ADMIN); where the mount is refused the test is reported as skipped, not passed.
 */
class DiskFullTest {
  @TempDir
  Path dir;

  private Path mount;
  private boolean mounted;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    mount = Files.createDirectory(dir.resolve("disk"));
    mounted = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()) == 0;
    Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root): test not run");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      run("umount", "-l", mount.toString());
    }
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  private static NamespaceOptions<String> options() {
    return NamespaceOptions.builder("fill", KvCodec.utf8()).build();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void theWriteThatDoesNotFitFailsClearlyAndNothingAcknowledgedIsLost() throws Exception {
    List<String> acknowledged = new ArrayList<>();
    String value = "x".repeat(2000);
    KvUnavailableException full = null;
    try (KvStore store = SqliteKvStore.open(mount)) {
      KvNamespace<String> ns = store.namespace(options());
      for (int batch = 0; batch < 10_000 && full == null; batch++) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
          values.put("b" + batch + ":" + i, value);
        }
        try {
          ns.blocking().putAll(values);
          acknowledged.addAll(values.keySet());
        } catch (KvUnavailableException e) {
          full = e;
          // Nothing of the failed batch is stored.
          assertEquals(Map.of(), ns.blocking().getAll(new ArrayList<>(values.keySet())));
        }
      }
      assertTrue(full != null, "2 MiB never filled up");
      assertTrue(full.getMessage().startsWith("putAll on namespace 'fill' on kvstore database "
          + mount.resolve("kvstore.db") + ": the disk is full; the write was not applied"),
          full.getMessage());
      assertTrue(acknowledged.size() > 100, "acknowledged " + acknowledged.size());
      assertEquals(acknowledged.size(), readAll(ns, acknowledged), "lost before reopening");
    }
    assertEquals(0, run("mount", "-o", "remount,size=16m", mount.toString()));
    try (KvStore store = SqliteKvStore.open(mount)) {
      KvNamespace<String> ns = store.namespace(options());
      assertEquals(acknowledged.size(), readAll(ns, acknowledged), "lost after reopening");
      ns.blocking().put("after", "room again");
      assertEquals("room again", ns.blocking().get("after").orElseThrow());
    }
    System.out.printf("disk full: %d keys acknowledged before the first failed putAll, all read"
        + " back before and after reopening%n", acknowledged.size());
  }

  private static int readAll(KvNamespace<String> ns, List<String> keys) {
    int found = 0;
    for (int from = 0; from < keys.size(); from += 500) {
      found += ns.blocking().getAll(keys.subList(from, Math.min(keys.size(), from + 500))).size();
    }
    return found;
  }
}
