package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvTimeoutException;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.redis.RedisCluster;
import io.kvstore.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A fresh store's first batch of more than {@code bulkThreshold} keys opens the bulk connection.
 * Against a stalled server (SIGSTOP: the kernel still accepts the connection, nothing answers)
 * that batch is a timeout like any other call's, not "unavailable", and a {@code putAll} that
 * sent nothing says so: its outcome is known. Then, once the server runs again, the same store
 * serves the batch. One server and a 3-master Cluster (every master stalled), each test its own.
 *
 * <p>Asserts the exception, its outcome and message; the time taken is only bounded far above the
 * timeout, so a loaded machine cannot fail it.
 */
class BulkConnectionStallTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final int KEYS = RedisKvOptions.DEFAULT_BULK_THRESHOLD + 1;

  private static RedisKvOptions options() {
    return RedisKvOptions.builder().timeout(TIMEOUT).connectTimeout(TIMEOUT).build();
  }

  @Test
  void aFreshStoresFirstLargeBatchOnAStalledServerTimesOutAndSaysNothingWasSent()
      throws Exception {
    try (RedisServer server = RedisServer.start();
        KvStore store = RedisKvStore.connect(server.uri(), options())) {
      checkStall(store, List.of(server));
    }
  }

  @Test
  void theSameInClusterWithEveryMasterStalled() throws Exception {
    try (RedisCluster cluster = RedisCluster.start(3);
        KvStore store = RedisKvStore.connectCluster(cluster.uris(), options())) {
      checkStall(store, cluster.masters());
    }
  }

  private static void checkStall(KvStore store, List<RedisServer> servers) throws Exception {
    KvNamespace<String> ns = store.namespace(
        NamespaceOptions.builder("stall", KvCodec.utf8()).build());
    Map<String, String> batch = new LinkedHashMap<>();
    for (int i = 0; i < KEYS; i++) {
      batch.put("k" + i, "v" + i);
    }
    // The main connection works; the bulk one has not been needed yet.
    ns.blocking().put("k0", "v0");
    servers.forEach(RedisServer::freeze);
    try {
      KvTimeoutException read = timesOut("getAll", () -> ns.getAll(batch.keySet()));
      assertFalse(read.outcomeUnknown(), read.getMessage());

      KvTimeoutException write = timesOut("putAll", () -> ns.putAll(batch));
      assertFalse(write.outcomeUnknown(), "nothing was sent: " + write.getMessage());
      assertFalse(write.getMessage().contains("may"), write.getMessage());
      assertTrue(write.getMessage().contains("nothing was sent"), write.getMessage());
    } finally {
      servers.forEach(RedisServer::thaw);
    }
    // The same store recovers: the batch goes through once the server answers again.
    awaitBatch(ns, batch);
    assertEquals(batch, ns.getAll(batch.keySet()).get(30, TimeUnit.SECONDS));
  }

  private static KvTimeoutException timesOut(String what,
      Supplier<CompletableFuture<?>> call) throws Exception {
    long start = System.nanoTime();
    CompletableFuture<?> future = call.get();
    Throwable failure = null;
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      failure = e.getCause();
    }
    long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
    KvTimeoutException timeout = assertInstanceOf(KvTimeoutException.class, failure,
        what + " against a stalled server after " + elapsed + " ms: " + failure);
    assertTrue(elapsed >= TIMEOUT.toMillis() - 50, what + " gave up before the timeout, after "
        + elapsed + " ms");
    assertTrue(elapsed < TIMEOUT.toMillis() + 10_000, what + " took " + elapsed + " ms");
    System.out.printf("%s against a stalled server: %s after %d ms%n", what,
        timeout.getClass().getSimpleName(), elapsed);
    return timeout;
  }

  private static void awaitBatch(KvNamespace<String> ns, Map<String, String> batch)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        ns.putAll(batch).get(30, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
