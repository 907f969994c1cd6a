package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.redis.RedisCluster;
import io.kvstore.testkit.redis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Which thread reads what: a batch of more than {@code bulkThreshold} keys is read on the bulk
 * connection's own I/O thread ({@code kvstore-bulk-io}), never on the main connection's, and a
 * small call never on the bulk one, so parsing a batch's replies cannot delay a small reply on its
 * thread. The values are small enough to be
 * decoded inline, on the thread that read the reply, which the codec records. One server and a
 * 3-master Cluster; also: the bulk thread is gone once the store is closed.
 *
 * <p>Asserts thread names and connections, never timing.
 */
class BulkIsolationTest {
  /** Over the threshold, and not one key past a 500-key chunk (a lone key goes as a GET). */
  private static final int BULK = RedisKvOptions.DEFAULT_BULK_THRESHOLD + 99;

  @Test
  void oneServerReadsBatchesOnTheBulkThreadAndSmallCallsNeverThere() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      check(RedisKvStore.connect(server.uri()), List.of(server), () -> assertEquals(List.of("get", "mget"),
          lastCommands(server),
          "the main connection ran the small get last, the bulk connection the MGETs"));
    }
  }

  @Test
  void clusterReadsBatchesOnTheBulkThreadAndSmallCallsNeverThere() throws Exception {
    try (RedisCluster cluster = RedisCluster.start(3)) {
      check(RedisKvStore.connectCluster(cluster.uris()), cluster.masters(), () -> { });
    }
  }

  private static void check(KvStore opened, List<RedisServer> servers, Runnable beforeClose)
      throws Exception {
    RecordingCodec codec = new RecordingCodec();
    try (KvStore store = opened) {
      KvNamespace<String> ns = store.namespace(
          NamespaceOptions.builder("iso", codec).build());
      Map<String, String> batch = new LinkedHashMap<>();
      for (int i = 0; i < BULK; i++) {
        batch.put("bulk-" + i, "bulk-" + i);
      }
      ns.blocking().putAll(batch);
      ns.blocking().put("small", "small-v");
      codec.threads.clear();

      // Batches and small gets in flight together, several rounds. In the first, Redis holds
      // its replies for 300 ms (CLIENT PAUSE), so they arrive after the store is waiting for them
      // however slowly the test thread runs: they are then read where the store reads them.
      for (int round = 0; round < 5; round++) {
        if (round == 0) {
          servers.forEach(s -> s.call("CLIENT", "PAUSE", "300", "ALL"));
        }
        CompletableFuture<Map<String, String>> bulk = ns.getAll(batch.keySet());
        List<CompletableFuture<?>> small = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          small.add(ns.get("small"));
        }
        assertEquals(batch, bulk.get(30, TimeUnit.SECONDS));
        for (CompletableFuture<?> get : small) {
          get.get(30, TimeUnit.SECONDS);
        }
      }
      ns.blocking().get("small");

      // A reply that came back before the store attached its decoding is decoded on the
      // calling thread: allowed. Never on the main connection's I/O threads.
      Set<String> bulkThreads = codec.threadsOf("bulk-");
      Set<String> smallThreads = codec.threadsOf("small-");
      assertTrue(bulkThreads.stream().anyMatch(t -> t.startsWith("kvstore-bulk-io")),
          "batches were read on " + bulkThreads);
      assertFalse(smallThreads.isEmpty());
      for (String thread : bulkThreads) {
        assertFalse(thread.startsWith("lettuce-"), "a batch was read on " + thread);
      }
      for (String thread : smallThreads) {
        assertFalse(thread.startsWith("kvstore-bulk-io"), "a small get was read on " + thread);
      }
      beforeClose.run();
    }
    awaitNoBulkThread();
  }

  /** The last command of each client but this one, sorted: which connection ran what. */
  private static List<String> lastCommands(RedisServer server) {
    String list = (String) server.call("CLIENT", "LIST");
    List<String> commands = new ArrayList<>();
    for (String line : list.split("\r?\n")) {
      String cmd = field(line, "cmd");
      if (!cmd.equals("client|list")) {
        commands.add(cmd);
      }
    }
    commands.sort(null);
    return commands;
  }

  private static String field(String clientLine, String name) {
    for (String field : clientLine.split(" ")) {
      if (field.startsWith(name + "=")) {
        return field.substring(name.length() + 1);
      }
    }
    throw new AssertionError("no " + name + " in " + clientLine);
  }

  private static void awaitNoBulkThread() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<String> left = Thread.getAllStackTraces().keySet().stream()
          .filter(Thread::isAlive).map(Thread::getName)
          .filter(n -> n.startsWith("kvstore-bulk-io")).toList();
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("bulk I/O threads left after close: " + left);
      }
      Thread.sleep(50);
    }
  }

  /** UTF-8 strings, recording the thread each value is decoded on, by value prefix. */
  private static final class RecordingCodec implements KvCodec<String> {
    final ConcurrentLinkedQueue<String[]> threads = new ConcurrentLinkedQueue<>();

    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      String value = new String(bytes, StandardCharsets.UTF_8);
      threads.add(new String[] {value.substring(0, value.indexOf('-') + 1),
          Thread.currentThread().getName()});
      return value;
    }

    Set<String> threadsOf(String prefix) {
      return threads.stream().filter(t -> t[0].equals(prefix)).map(t -> t[1])
          .collect(Collectors.toSet());
    }
  }
}
