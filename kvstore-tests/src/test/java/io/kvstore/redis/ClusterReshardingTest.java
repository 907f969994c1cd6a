package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvTimeoutException;
import io.kvstore.KvUnavailableException;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.testkit.redis.RedisCluster;
import io.kvstore.testkit.redis.RedisServer;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A slot moves back and forth between the masters of a real 3-master Cluster while four threads
 * write and read keys of that slot, near-cached and plain: every call completes (none is left
 * waiting), no call fails with a redirect (a {@code MOVED} or {@code ASK} is followed, or reported
 * as retryable {@link KvUnavailableException}), none is rejected as "not connected" while every
 * node is up, a read after an acknowledged write returns it, and the same store serves every
 * master at once afterwards (no event loop left waiting for itself).
 *
 * <p>The Cluster is this class's own, since it moves slots. Bounded: a fixed number of moves, each
 * a few hundred milliseconds, and every wait has a deadline. Nothing here measures speed.
 */
class ClusterReshardingTest {
  private static final String TAG = "reshard";
  private static final int SLOT = SlotHash.getSlot(TAG);
  private static final int ROUNDS = 3;
  private static final int MOVES = 3;
  /** Milliseconds between moves, and between a worker's put-and-get pairs. */
  private static final int BETWEEN = 300;
  private static final int PAUSE = 2;
  private static final int WORKERS = 4;
  /** Far above the store's timeout: a call still pending after this was never completed. */
  private static final long CALL_DEADLINE_SECONDS = 30;

  private static RedisCluster cluster;

  @BeforeAll
  static void start() {
    cluster = RedisCluster.start(3);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * Three rounds, each on a fresh store: a store opens its connections to a node the first time
   * a call or a redirect needs one, and that opening is where a blocked event loop would wait
   * for itself, so each round meets it again.
   */
  @Test
  void aSlotMovingBetweenMastersUnderLoadIsFollowedAndNeverWedgesTheStore() throws Exception {
    cluster.flushAll();
    for (int round = 0; round < ROUNDS; round++) {
      round(round);
    }
  }

  private static void round(int round) throws Exception {
    try (KvStore store = RedisKvStore.connectCluster(cluster.uris(),
        RedisKvOptions.builder().timeout(Duration.ofSeconds(2)).build())) {
      List<KvNamespace<String>> namespaces = List.of(
          store.namespace(NamespaceOptions.builder("plain", KvCodec.utf8()).build()),
          store.namespace(NamespaceOptions.builder("near", KvCodec.utf8())
              .nearCache(NearCacheOptions.defaults()).build()));
      AtomicBoolean moving = new AtomicBoolean(true);
      Outcomes outcomes = new Outcomes();
      List<Thread> workers = new ArrayList<>();
      List<Worker> states = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        Worker worker = new Worker(round * WORKERS + w, namespaces, moving, outcomes);
        states.add(worker);
        Thread thread = new Thread(worker, "reshard-worker-" + w);
        thread.setDaemon(true);
        workers.add(thread);
        thread.start();
      }
      int moved;
      try {
        // Moves start once every worker is under way, however slow the machine.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CALL_DEADLINE_SECONDS);
        while (outcomes.acknowledged.get() < 2 * WORKERS && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        moved = moveBackAndForth();
      } finally {
        moving.set(false);
        for (Thread thread : workers) {
          thread.join(TimeUnit.SECONDS.toMillis(CALL_DEADLINE_SECONDS + 10));
        }
      }
      assertEquals(MOVES, moved, "the slot moved every time");
      assertTrue(outcomes.hung.isEmpty(),
          "calls never completed within " + CALL_DEADLINE_SECONDS + " s: " + outcomes.hung);
      assertTrue(outcomes.notRetryable.isEmpty(), outcomes.notRetryable.size()
          + " calls failed with an exception that is neither a timeout nor unavailable, first: "
          + outcomes.notRetryable.stream().limit(3).toList());
      assertTrue(outcomes.notConnected.isEmpty(), outcomes.notConnected.size()
          + " calls were rejected as if a node were down while every node was up, first: "
          + outcomes.notConnected.stream().limit(3).toList());
      assertTrue(outcomes.staleReads.isEmpty(), "reads after an acknowledged write did not "
          + "return it: " + outcomes.staleReads.stream().limit(5).toList());
      assertTrue(outcomes.acknowledged.get() > 0, "some writes went through during the moves");

      // Afterwards, the same store reads what each worker wrote last, and reaches every master.
      for (Worker worker : states) {
        worker.checkLastWrites();
      }
      Map<String, String> everywhere = new LinkedHashMap<>();
      for (int i = 0; i < 30; i++) {
        everywhere.put("spread-" + i, "v" + i);
      }
      KvNamespace<String> plain = namespaces.get(0);
      bounded(plain.putAll(everywhere));
      assertEquals(everywhere, bounded(plain.getAll(everywhere.keySet())));
      for (RedisServer master : cluster.masters()) {
        assertTrue((Long) master.call("DBSIZE") > 0, "keys on every master");
      }
      System.out.printf("resharding round %d: %d moves, %d acknowledged writes, %d retryable failures "
          + "(%s)%n", round, moved, outcomes.acknowledged.get(), outcomes.retryable.size(),
          outcomes.retryable.stream().limit(3).toList());
    }
  }

  /** Moves the slot to the next master, {@link #MOVES} times; returns how many moves finished. */
  private static int moveBackAndForth() throws InterruptedException {
    List<RedisServer> masters = cluster.masters();
    int owner = ownerOf(masters);
    int moved = 0;
    for (int i = 0; i < MOVES; i++) {
      Thread.sleep(BETWEEN);
      int target = (owner + 1) % masters.size();
      move(masters, owner, target);
      owner = target;
      moved++;
    }
    Thread.sleep(BETWEEN);
    return moved;
  }

  private static int ownerOf(List<RedisServer> masters) {
    for (int i = 0; i < masters.size(); i++) {
      String myId = (String) masters.get(i).call("CLUSTER", "MYID");
      String nodes = (String) masters.get(i).call("CLUSTER", "NODES");
      for (String line : nodes.lines().toList()) {
        if (line.startsWith(myId) && line.contains("myself") && servesSlot(line)) {
          return i;
        }
      }
    }
    throw new AssertionError("no master serves slot " + SLOT);
  }

  private static boolean servesSlot(String nodesLine) {
    String[] fields = nodesLine.split(" ");
    for (int f = 8; f < fields.length; f++) {
      String range = fields[f];
      if (range.startsWith("[")) {
        continue;
      }
      String[] bounds = range.split("-");
      int from = Integer.parseInt(bounds[0]);
      int to = bounds.length > 1 ? Integer.parseInt(bounds[1]) : from;
      if (SLOT >= from && SLOT <= to) {
        return true;
      }
    }
    return false;
  }

  /**
   * One live migration as {@code redis-cli --cluster reshard} does it: IMPORTING on the target,
   * MIGRATING on the source, the keys in batches of 20 with {@code MIGRATE ... REPLACE KEYS},
   * then {@code SETSLOT NODE} on the target, the source and the others. The pauses leave the
   * slot half-moved long enough for the workers to meet {@code ASK} and then {@code MOVED}.
   */
  private static void move(List<RedisServer> masters, int from, int to)
      throws InterruptedException {
    RedisServer source = masters.get(from);
    RedisServer target = masters.get(to);
    String sourceId = (String) source.call("CLUSTER", "MYID");
    String targetId = (String) target.call("CLUSTER", "MYID");
    String slot = Integer.toString(SLOT);
    target.call("CLUSTER", "SETSLOT", slot, "IMPORTING", sourceId);
    source.call("CLUSTER", "SETSLOT", slot, "MIGRATING", targetId);
    while (true) {
      @SuppressWarnings("unchecked")
      List<Object> keys = (List<Object>) source.call("CLUSTER", "GETKEYSINSLOT", slot, "20");
      if (keys.isEmpty()) {
        break;
      }
      List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1",
          Integer.toString(target.port()), "", "0", "5000", "REPLACE", "KEYS"));
      keys.forEach(k -> migrate.add((String) k));
      source.call(migrate.toArray(String[]::new));
      Thread.sleep(20);
    }
    Thread.sleep(100);
    target.call("CLUSTER", "SETSLOT", slot, "NODE", targetId);
    source.call("CLUSTER", "SETSLOT", slot, "NODE", targetId);
    for (RedisServer other : masters) {
      if (other != source && other != target) {
        other.call("CLUSTER", "SETSLOT", slot, "NODE", targetId);
      }
    }
  }

  /** Waits for a call far beyond the store's timeout: not done by then means never completed. */
  private static <T> T bounded(CompletableFuture<T> call) throws Exception {
    return call.get(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** What the workers saw, shared by all of them. */
  private static final class Outcomes {
    final ConcurrentLinkedQueue<String> hung = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> notRetryable = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> retryable = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> notConnected = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> staleReads = new ConcurrentLinkedQueue<>();
    final AtomicInteger acknowledged = new AtomicInteger();
  }

  /**
   * Writes and reads its own keys of the moving slot (so a read can be checked against its own
   * last acknowledged write), in both namespaces, every few milliseconds.
   */
  private static final class Worker implements Runnable {
    private final int id;
    private final List<KvNamespace<String>> namespaces;
    private final AtomicBoolean moving;
    private final Outcomes outcomes;
    /** Per namespace and key: the last acknowledged value, and values whose write failed. */
    private final Map<String, String> acked = new LinkedHashMap<>();
    private final Map<String, List<String>> unknownSince = new LinkedHashMap<>();

    Worker(int id, List<KvNamespace<String>> namespaces, AtomicBoolean moving,
        Outcomes outcomes) {
      this.id = id;
      this.namespaces = namespaces;
      this.moving = moving;
      this.outcomes = outcomes;
    }

    private String key(int k) {
      return "{" + TAG + "}w" + id + "-" + k;
    }

    @Override
    public void run() {
      int seq = 0;
      while (moving.get() && outcomes.hung.isEmpty()) {
        int n = seq % namespaces.size();
        KvNamespace<String> ns = namespaces.get(n);
        String key = key(seq % 3);
        String slotKey = n + "/" + key;
        String value = "w" + id + "-" + seq;
        seq++;
        if (call("put " + slotKey, ns.put(key, value)) == Result.DONE) {
          acked.put(slotKey, value);
          unknownSince.remove(slotKey);
          outcomes.acknowledged.incrementAndGet();
        } else {
          unknownSince.computeIfAbsent(slotKey, x -> new ArrayList<>()).add(value);
        }
        CompletableFuture<Optional<String>> read = ns.get(key);
        if (call("get " + slotKey, read) == Result.DONE) {
          String seen = read.join().orElse(null);
          if (!allowed(slotKey).contains(seen)) {
            outcomes.staleReads.add(slotKey + " read " + seen + ", expected one of "
                + allowed(slotKey));
          }
        }
        pause(PAUSE);
      }
    }

    /** The values a read may return: the last acknowledged write or a later failed one. */
    private List<String> allowed(String slotKey) {
      List<String> allowed = new ArrayList<>();
      allowed.add(acked.get(slotKey));
      allowed.addAll(unknownSince.getOrDefault(slotKey, List.of()));
      return allowed;
    }

    private Result call(String what, CompletableFuture<?> future) {
      try {
        future.get(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
        return Result.DONE;
      } catch (TimeoutException e) {
        outcomes.hung.add(what);
        return Result.FAILED;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Result.FAILED;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (String.valueOf(cause.getMessage()).contains("not connected")) {
          outcomes.notConnected.add(what + ": " + cause);
        } else if (cause instanceof KvUnavailableException
            || cause instanceof KvTimeoutException) {
          outcomes.retryable.add(what + ": " + cause);
        } else {
          outcomes.notRetryable.add(what + ": " + cause);
        }
        return Result.FAILED;
      }
    }

    void checkLastWrites() throws Exception {
      for (Map.Entry<String, String> last : acked.entrySet()) {
        String slotKey = last.getKey();
        KvNamespace<String> ns = namespaces.get(Integer.parseInt(slotKey.substring(0, 1)));
        String key = slotKey.substring(2);
        String seen = bounded(ns.get(key)).orElse(null);
        assertTrue(allowed(slotKey).contains(seen),
            slotKey + " read " + seen + " after the moves, expected one of " + allowed(slotKey));
      }
    }

    private static void pause(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private enum Result { DONE, FAILED }
}
