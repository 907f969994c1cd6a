package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.contract.SharedRedis;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisServer;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisStringCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 32's figures: a writer on a plain Lettuce connection (not kvstore, so it publishes
 * nothing) makes 1,000 writes to the keys of a near-cached namespace, in turn a change, a delete,
 * a change and an expiry ({@code PEXPIRE 1}) of each of 10 keys; before each write the kvstore
 * reader holds the key in its near cache (value or known-missing, both for 10 minutes), so only
 * the server's invalidation can make it read again. After each write the reader polls until it
 * sees the change: what is asserted is that it does, within a generous deadline, and never goes
 * back to an older value afterwards; how long it took (from the writer's reply to the first read
 * that sees the change) is recorded and printed as p50, p99 and max, never asserted (the machine
 * is shared). On one server and on a 3-master Cluster, and each once more with every tracking
 * connection killed ({@code CLIENT KILL}) halfway: the writes made while tracking is down are
 * seen once it is back (the near cache is cleared on the drop and on the return), and none after.
 */
@ExtendWith(SharedRedis.class)
class TrackingVisibilityTest {
  private static final int WRITES = 1_000;
  private static final int KEYS = 10;
  private static final String NS = "vis";
  /** Generous: a change not seen by then is a stale read, whatever the machine's load. */
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final NamespaceOptions<String> OPTIONS = NamespaceOptions.builder(NS,
          KvCodec.utf8())
      .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(10))
          .negativeTtl(Duration.ofMinutes(10)).build())
      .build();

  @ParameterizedTest(name = "{0}, tracking connection killed halfway: {1}")
  @CsvSource({"server, false", "server, true", "cluster, false", "cluster, true"})
  void everyChangeByAPlainClientIsSeen(String topology, boolean kill) {
    boolean cluster = topology.equals("cluster");
    AbstractRedisClient plain = cluster
        ? RedisClusterClient.create(SharedRedis.cluster().clusterUris().get(0))
        : RedisClient.create(SharedRedis.server().uri());
    KvStore reader = cluster ? RedisKvStore.connectCluster(SharedRedis.cluster().clusterUris())
        : RedisKvStore.connect(SharedRedis.server().uri());
    try {
      List<RedisServer> nodes = cluster ? SharedRedis.cluster().redisCluster().masters()
          : List.of(SharedRedis.server().process());
      KvNamespace<String> ns = reader.namespace(OPTIONS);
      Writer writer = cluster ? new Writer(((RedisClusterClient) plain).connect().sync())
          : new Writer(((RedisClient) plain).connect().sync());
      List<String> trackers = trackingIds(nodes);
      assertEquals(nodes.size(), trackers.size(), "one tracking connection per node");

      long[] micros = new long[WRITES];
      List<List<Long>> kinds = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
          new ArrayList<>());
      String[] current = new String[KEYS];
      for (int i = 0; i < WRITES; i++) {
        int k = i % KEYS;
        String key = "k" + k;
        awaitCached(reader, ns, key, current[k]);
        if (kill && i == WRITES / 2) {
          nodes.forEach(TrackingVisibilityTest::killTracking);
        }
        current[k] = switch ((i / KEYS) % 4) {
          case 0, 2 -> writer.set(NS + ":" + key, "v" + i);
          case 1 -> writer.del(NS + ":" + key);
          default -> writer.expire(NS + ":" + key);
        };
        long written = System.nanoTime();
        String seen = awaitSeen(ns, key, current[k], written, "write " + i);
        micros[i] = (System.nanoTime() - written) / 1_000;
        kinds.get((i / KEYS) % 4).add(micros[i]);
        for (int again = 0; again < 3; again++) {
          assertTrue(same(read(ns, key), seen), "write " + i + ": back to an older value");
        }
      }
      if (kill) {
        List<String> back = trackingIds(nodes);
        assertEquals(nodes.size(), back.size(), "tracking back on every node");
        assertTrue(back.stream().noneMatch(trackers::contains), "on new connections");
      }
      for (int k = 0; k < KEYS; k++) {
        assertTrue(same(read(ns, "k" + k), current[k]), "k" + k + " at the end");
      }
      System.out.printf("server tracking, %s%s: a plain client's write seen by the near cache"
          + " %s over %d writes (changes %s; deletes %s; expiries %s)%n", topology,
          kill ? ", tracking killed halfway" : "", percentiles(micros), WRITES,
          percentiles(kinds.get(0), kinds.get(2)), percentiles(kinds.get(1)),
          percentiles(kinds.get(3)));
    } finally {
      reader.close();
      plain.shutdown();
    }
  }

  /**
   * Reads until the key reads as {@code expected}, polling every 20 us (a finer grain than
   * {@link Awaits}'s, since the time is what is recorded); fails after {@link #DEADLINE}.
   */
  private static String awaitSeen(KvNamespace<String> ns, String key, String expected,
      long since, String what) {
    while (true) {
      String seen = read(ns, key);
      if (same(seen, expected)) {
        return seen;
      }
      assertTrue(System.nanoTime() - since < DEADLINE.toNanos(), () -> what + " (" + key
          + " -> " + expected + ") not seen within " + DEADLINE + ": stale read " + seen);
      LockSupport.parkNanos(20_000);
    }
  }

  /** Reads the key, null when missing. */
  private static String read(KvNamespace<String> ns, String key) {
    return ns.blocking().get(key).orElse(null);
  }

  private static boolean same(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }

  /** Until the reader serves {@code expected} from its near cache, with no round trip. */
  private static void awaitCached(KvStore reader, KvNamespace<String> ns, String key,
      String expected) {
    Awaits.until(key + " cached", DEADLINE, () -> KvRoundTrips.count(reader,
        () -> assertTrue(same(read(ns, key), expected), key + " changed by nobody")) == 0);
  }

  @SafeVarargs
  private static String percentiles(List<Long>... micros) {
    return percentiles(Arrays.stream(micros).flatMap(List::stream).mapToLong(m -> m).toArray());
  }

  private static String percentiles(long[] micros) {
    long[] sorted = micros.clone();
    Arrays.sort(sorted);
    return "p50 " + sorted[sorted.length / 2] + " us, p99 "
        + sorted[(int) Math.ceil(sorted.length * 0.99) - 1] + " us, max "
        + sorted[sorted.length - 1] + " us";
  }

  /** The tracking connections over the nodes, as port:id (ids are per node). */
  private static List<String> trackingIds(List<RedisServer> nodes) {
    return Awaits.until("a tracking connection on every node", DEADLINE, () -> {
      List<String> ids = new ArrayList<>();
      nodes.forEach(node -> trackingIds(node).forEach(id -> ids.add(node.port() + ":" + id)));
      return ids;
    }, ids -> ids.size() == nodes.size());
  }

  /** The ids of the node's connections named kvstore-tracking with tracking on. */
  private static List<String> trackingIds(RedisServer node) {
    List<String> ids = new ArrayList<>();
    for (String line : ((String) node.call("CLIENT", "LIST")).split("\n")) {
      if (line.contains(" name=kvstore-tracking ") && line.matches(".* flags=[^ ]*t[^ ]* .*")) {
        ids.add(line.replaceAll("^id=(\\d+) .*$", "$1").trim());
      }
    }
    return ids;
  }

  private static void killTracking(RedisServer node) {
    trackingIds(node).forEach(id -> node.call("CLIENT", "KILL", "ID", id));
  }

  /** The plain writer, on one server or a Cluster; each verb returns what the key holds after. */
  private record Writer(RedisStringCommands<String, String> strings,
      io.lettuce.core.api.sync.RedisKeyCommands<String, String> keys) {
    Writer(io.lettuce.core.api.sync.RedisCommands<String, String> c) {
      this(c, c);
    }

    Writer(RedisAdvancedClusterCommands<String, String> c) {
      this(c, c);
    }

    String set(String key, String value) {
      strings.set(key, value);
      return value;
    }

    String del(String key) {
      keys.del(key);
      return null;
    }

    /** Expires the key in 1 ms: missing from then on. */
    String expire(String key) {
      assertTrue(keys.pexpire(key, 1), key + " exists to expire");
      return null;
    }
  }
}
