package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvUnavailableException;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisCluster;
import io.kvstore.testkit.redis.RedisServer;
import io.kvstore.testkit.redis.internal.Resp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Redis error replies keep their category: those after which a retry may succeed (the server is
 * a replica, loading, busy, migrating a slot, or its cluster is down) fail the call with
 * {@link KvUnavailableException} naming the reply; the others stay a plain {@link KvException}.
 * Each reply is provoked on a real server.
 */
class ErrorReplyTest {
  private static final String SECRET = "value-that-must-not-appear";

  private static KvNamespace<String> strings(KvStore store) {
    return store.namespace(NamespaceOptions.builder("errs", String.class).build());
  }

  /** The exception a call's future failed with. */
  private static Throwable failure(CompletableFuture<?> call) {
    return assertThrows(CompletionException.class, call::join).getCause();
  }

  /** Asserts an unavailable failure naming the reply kind and never the value. */
  private static KvUnavailableException assertUnavailable(String kind, CompletableFuture<?> call) {
    KvUnavailableException e = assertInstanceOf(KvUnavailableException.class, failure(call));
    assertTrue(e.getMessage().contains(kind + " reply"), e.getMessage());
    assertEquals(Optional.of(kind), e.replyKind(), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    return e;
  }

  private static void await(String what, BooleanSupplier condition) {
    Awaits.until(what, Duration.ofSeconds(30), condition);
  }

  @Test
  void aWriteToAReplicaFailsWithReadonlyAndReadsStillWork() throws InterruptedException {
    try (RedisServer master = RedisServer.start();
        RedisServer replica = RedisServer.start(List.of("--replicaof", "127.0.0.1",
            Integer.toString(master.port())));
        KvStore onMaster = RedisKvStore.connect(master.uri());
        KvStore onReplica = RedisKvStore.connect(replica.uri())) {
      strings(onMaster).blocking().put("k", "v");
      await("the replica to copy the key", () -> strings(onReplica).blocking().get("k")
          .isPresent());
      assertUnavailable("READONLY", strings(onReplica).put("k", SECRET));
      assertUnavailable("READONLY", strings(onReplica).deleteAll(List.of("k")));
      assertEquals(Optional.of("v"), strings(onReplica).blocking().get("k"));
      // An indexed namespace writes through a Lua script: the replica refuses the script's
      // first write, and the reply keeps its kind.
      KvNamespace<String> indexed = onReplica.namespace(NamespaceOptions
          .builder("errs-indexed", String.class).listing(Listing.INDEXED).build());
      assertUnavailable("READONLY", indexed.put("k", SECRET));
      assertUnavailable("READONLY", indexed.deleteAll(List.of("k")));
    }
  }

  @Test
  void aReplicaThatLostItsMasterAndServesNoStaleDataFailsWithMasterdown() {
    int nobody = RedisServer.freePort();
    try (RedisServer replica = RedisServer.start(List.of("--replicaof", "127.0.0.1",
            Integer.toString(nobody)))) {
      // Set after the start: the harness waits for PING, which MASTERDOWN would refuse.
      replica.call("CONFIG", "SET", "replica-serve-stale-data", "no");
      KvStore store = RedisKvStore.connect(replica.uri());
      assertUnavailable("MASTERDOWN", strings(store).get("k"));
      assertUnavailable("MASTERDOWN", strings(store).getAll(List.of("a", "b")));
      store.close();
    }
  }

  @Test
  void aScriptRunningPastItsTimeLimitFailsCallsWithBusy() throws Exception {
    try (RedisServer server = RedisServer.start(List.of("--lua-time-limit", "50"));
        KvStore store = RedisKvStore.connect(server.uri())) {
      strings(store).blocking().put("k", "v");
      CompletableFuture<Void> script = CompletableFuture.runAsync(() -> {
        try (Resp resp = new Resp(server.port())) {
          resp.call("EVAL", "while true do end", "0");
        } catch (IOException | RuntimeException killed) {
          // SCRIPT KILL below ends it with an error reply: expected
        }
      });
      try {
        await("the script to pass its time limit", () -> {
          try {
            server.call("PING");
            return false;
          } catch (RuntimeException e) {
            return String.valueOf(e.getMessage()).contains("BUSY");
          }
        });
        assertUnavailable("BUSY", strings(store).get("k"));
        assertUnavailable("BUSY", strings(store).put("k", SECRET));
      } finally {
        server.call("SCRIPT", "KILL");
        script.get(10, TimeUnit.SECONDS);
      }
      assertEquals(Optional.of("v"), strings(store).blocking().get("k"));
    }
  }

  /**
   * A restart reads a 2,000,000-key RDB (about 67 MB on disk, 200 MB in memory; 2.5 s to load on
   * a 2-core machine): reads meanwhile fail with LOADING, then the same store reads the value.
   */
  @Test
  void readsWhileARestartedServerLoadsItsDatasetFailWithLoading() throws Exception {
    try (RedisServer server = RedisServer.start();
        KvStore store = RedisKvStore.connect(server.uri())) {
      strings(store).blocking().put("k", "v");
      server.call("DEBUG", "POPULATE", "2000000", "filler", "20");
      server.call("SAVE");
      server.restartWithoutAwaitingLoad();
      List<Throwable> failures = new ArrayList<>();
      Optional<String> read = Awaits.until("the dataset to load", Duration.ofSeconds(60), () -> {
        try {
          return strings(store).blocking().get("k");
        } catch (KvException e) {
          failures.add(e);
          throw e;
        }
      }, Optional::isPresent);
      assertEquals(Optional.of("v"), read, "the store reads again once the dataset is loaded");
      failures.forEach(f -> assertInstanceOf(KvUnavailableException.class, f, f.getMessage()));
      // Refused connections while the server starts carry no reply kind; LOADING replies do.
      failures.forEach(f -> assertEquals(f.getMessage().contains("LOADING reply")
          ? Optional.of("LOADING") : Optional.empty(),
          ((KvUnavailableException) f).replyKind(), f.getMessage()));
      assertTrue(failures.stream().anyMatch(f -> f.getMessage().contains("LOADING reply")),
          () -> "no read met LOADING: " + failures.size() + " failures");
    }
  }

  @Test
  void outOfMemoryStaysAPlainKvException() {
    try (RedisServer server = RedisServer.start(List.of("--maxmemory", "3mb",
            "--maxmemory-policy", "noeviction"));
        KvStore store = RedisKvStore.connect(server.uri())) {
      KvNamespace<String> ns = strings(store);
      String big = SECRET + "x".repeat(100_000);
      KvException oom = null;
      for (int i = 0; i < 100 && oom == null; i++) {
        try {
          ns.blocking().put("k" + i, big);
        } catch (KvException e) {
          oom = e;
        }
      }
      assertTrue(oom != null, "100 puts of 100 KB never exceeded maxmemory 3mb");
      assertEquals(KvException.class, oom.getClass(), oom.getMessage());
      assertTrue(oom.getMessage().contains("OOM"), oom.getMessage());
      assertFalse(oom.getMessage().contains(SECRET), oom.getMessage());
      assertTrue(ns.blocking().get("k0").isPresent(), "reads still work");
    }
  }

  /**
   * Keys Redis holds as another type (written by another client): a value key read with GET, an
   * index that is no longer a sorted set written by an indexed namespace's script. A plain
   * KvException naming WRONGTYPE.
   */
  @Test
  void aKeyOfAnotherTypeStaysAPlainKvException() {
    try (RedisServer server = RedisServer.start();
        KvStore store = RedisKvStore.connect(server.uri())) {
      server.call("RPUSH", "errs:list", SECRET);
      server.call("SET", "{errs-indexed}/index", SECRET);
      KvNamespace<String> indexed = store.namespace(NamespaceOptions
          .builder("errs-indexed", String.class).listing(Listing.INDEXED).build());
      for (CompletableFuture<?> call : List.of(strings(store).get("list"),
          indexed.put("k", SECRET))) {
        Throwable e = failure(call);
        assertEquals(KvException.class, e.getClass(), e.getMessage());
        assertTrue(e.getMessage().contains("WRONGTYPE"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
      }
    }
  }

  @Test
  void aClusterThatLostAMasterFailsCallsWithClusterdown() throws InterruptedException {
    try (RedisCluster cluster = RedisCluster.start(3);
        KvStore store = RedisKvStore.connectCluster(cluster.uris())) {
      KvNamespace<String> ns = strings(store);
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        keys.add("k" + i);
      }
      keys.forEach(k -> ns.blocking().put(k, "v"));
      RedisServer lost = cluster.masters().get(0);
      RedisServer alive = cluster.masters().get(1);
      String onAlive = keys.stream().filter(k -> Long.valueOf(1).equals(
          alive.call("EXISTS", "errs:" + k))).findFirst().orElseThrow();
      lost.kill();
      await("the cluster to mark itself failed", () -> String.valueOf(
          alive.call("CLUSTER", "INFO")).contains("cluster_state:fail"));
      assertUnavailable("CLUSTERDOWN", ns.get(onAlive));
      // A batch over every master fails as a whole with the same kind of exception.
      assertInstanceOf(KvUnavailableException.class, failure(ns.getAll(keys)));
    }
  }

  /**
   * A multi-key read of a slot being migrated, whose keys are split between the two masters:
   * Redis answers TRYAGAIN (neither MOVED nor ASK can send the whole command elsewhere).
   */
  @Test
  void aBatchOverASlotInMigrationFailsWithTryagain() {
    try (RedisCluster cluster = RedisCluster.start(3);
        KvStore store = RedisKvStore.connectCluster(cluster.uris())) {
      KvNamespace<String> ns = strings(store);
      // One hash tag: both keys in one slot, so getAll sends them in one MGET.
      ns.blocking().putAll(Map.of("{t}a", "1", "{t}b", "2"));
      String slot = String.valueOf(cluster.masters().get(0).call("CLUSTER", "KEYSLOT",
          "errs:{t}a"));
      RedisServer source = cluster.masters().stream()
          .filter(m -> Long.valueOf(2).equals(m.call("CLUSTER", "COUNTKEYSINSLOT", slot)))
          .findFirst().orElseThrow();
      RedisServer target = cluster.masters().stream().filter(m -> m != source).findFirst()
          .orElseThrow();
      target.call("CLUSTER", "SETSLOT", slot, "IMPORTING",
          String.valueOf(source.call("CLUSTER", "MYID")));
      source.call("CLUSTER", "SETSLOT", slot, "MIGRATING",
          String.valueOf(target.call("CLUSTER", "MYID")));
      source.call("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "errs:{t}a", "0",
          "5000");
      assertUnavailable("TRYAGAIN", ns.getAll(List.of("{t}a", "{t}b")));
    }
  }
}
