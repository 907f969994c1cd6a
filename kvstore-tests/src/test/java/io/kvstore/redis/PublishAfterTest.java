package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.contract.SharedRedis;
import io.kvstore.testing.Workout;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisCluster;
import io.kvstore.testkit.redis.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In Cluster (and in indexed namespaces) a write's invalidation is published only once the write
 * is applied ({@code InvalidationPublisher.publishAfter}): the PUBLISH goes to the channel's node,
 * which may not be the node that applies the write, so sending both at once would let another
 * instance hear of the write, reload the key and cache the old value again.
 *
 * <p>What shows it without racing anything: two stores A and B on one 3-master Cluster, both near
 * cached, with a namespace and key chosen so that the write's master and the channel's master
 * differ. B caches v1. The write's master is paused for writes ({@code CLIENT PAUSE WRITE}, which
 * holds writes, scripts and PUBLISH); A writes v2. While the pause lasts, the write cannot be
 * applied, so B must hear nothing and keep serving v1 from its near cache, and the channel's
 * (unpaused) master must have run no PUBLISH: a publisher that sent the PUBLISH beside the write
 * would have been heard within milliseconds. After the pause, the write is applied, then
 * published once, and the first read B makes after hearing of it returns v2.
 */
@ExtendWith(SharedRedis.class)
class PublishAfterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** How long the test watches for a premature invalidation while the write is held. */
  private static final long HELD_MILLIS = 400;
  /**
   * What is shown is when kvstore publishes, so the stores hear of writes through pub/sub alone:
   * server tracking would tell B of each write too (and of the held write only once applied).
   */
  private static final RedisKvOptions PUB_SUB_ONLY =
      RedisKvOptions.builder().serverTracking(false).build();

  @ParameterizedTest(name = "Cluster, {0}")
  @ValueSource(strings = {"INDEXED", "SCAN"})
  void anotherInstanceHearsOfAWriteOnlyOnceItIsApplied(String listingName) throws Exception {
    Listing listing = listingName.equals("INDEXED") ? Listing.INDEXED : Listing.UNINDEXED;
    SharedRedis.cluster().flushAll();
    RedisCluster cluster = SharedRedis.cluster().redisCluster();
    String key = "k";
    // A namespace whose writes and invalidation channel live on different masters.
    String name = null;
    RedisServer writes = null;
    RedisServer channel = null;
    for (int i = 0; writes == channel; i++) {
      name = "pa-" + listingName.toLowerCase() + "-" + i;
      writes = masterOf(cluster, listing.indexed() ? "{" + name + "}:" + key : name + ":" + key);
      channel = masterOf(cluster, "kvstore:invalidate:" + name);
    }
    NamespaceOptions<Workout> options = NamespaceOptions.builder(name, Workout.class)
        .listing(listing)
        .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(10)).build())
        .build();
    // A's reply timeout outlasts the pause by far: the held write must not time out (a failed
    // write is published at once, on another path).
    RedisKvOptions patient = PUB_SUB_ONLY.toBuilder().timeout(WAIT).build();
    try (KvStore a = RedisKvStore.connectCluster(SharedRedis.cluster().clusterUris(), patient);
        KvStore b = RedisKvStore.connectCluster(SharedRedis.cluster().clusterUris(),
            PUB_SUB_ONLY)) {
      KvNamespace<Workout> nsA = a.namespace(options);
      KvNamespace<Workout> nsB = b.namespace(options);
      String channelName = "kvstore:invalidate:" + name;
      await("both stores to subscribe", () -> subscribers(cluster, channelName) == 2);

      nsA.blocking().put(key, Workout.of("v1", 1, 1));
      await("B to hear of v1", () -> b.stats().invalidationsReceived() == 1);
      assertEquals("v1", user(nsB));
      assertEquals(0, KvRoundTrips.count(b, () -> assertEquals("v1", user(nsB))),
          "B serves the key from its near cache");

      long publishes = publishCalls(channel);
      writes.call("CLIENT", "PAUSE", "10000", "WRITE");
      CompletableFuture<Void> put;
      try {
        put = nsA.put(key, Workout.of("v2", 1, 1));
        Thread.sleep(HELD_MILLIS);
        assertFalse(put.isDone(), "the write's master is paused, the write cannot be applied");
        assertEquals(1, b.stats().invalidationsReceived(),
            "B heard of a write that is not applied yet");
        assertEquals(publishes, publishCalls(channel),
            "a PUBLISH ran before the write was applied");
        assertEquals(0, KvRoundTrips.count(b, () -> assertEquals("v1", user(nsB))),
            "B still serves v1 from its near cache");
      } finally {
        writes.call("CLIENT", "UNPAUSE");
      }
      put.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      await("B to hear of v2", () -> b.stats().invalidationsReceived() == 2);
      assertEquals("v2", user(nsB), "the first read after the invalidation");
      for (int i = 0; i < 20; i++) {
        assertEquals("v2", user(nsB), "B never goes back to v1");
      }
      assertEquals(publishes + 1, publishCalls(channel), "one PUBLISH for the write");
      assertEquals("v2", user(nsA), "the writer reads its own write");
    }
  }

  /**
   * On one server an indexed namespace publishes after its script too: the script may meet
   * {@code NOSCRIPT} (a restart, {@code SCRIPT FLUSH}) and be sent again, and a PUBLISH sent with
   * the first attempt would run between the refusal and the write. {@code MONITOR} shows the
   * order the server ran the commands in: the retried {@code EVAL}, the script's write of the
   * key, then the PUBLISH.
   */
  @Test
  void onOneServerAnIndexedWriteMetByNoscriptIsPublishedAfterTheRetriedScript() throws Exception {
    SharedRedis.server().flushAll();
    String name = "pa-server-indexed";
    NamespaceOptions<Workout> options = NamespaceOptions.builder(name, Workout.class)
        .listing(Listing.INDEXED)
        .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(10)).build())
        .build();
    RedisServer server = SharedRedis.server().process();
    try (KvStore a = RedisKvStore.connect(SharedRedis.server().uri(), PUB_SUB_ONLY);
        KvStore b = RedisKvStore.connect(SharedRedis.server().uri(), PUB_SUB_ONLY)) {
      KvNamespace<Workout> nsA = a.namespace(options);
      KvNamespace<Workout> nsB = b.namespace(options);
      await("both stores to subscribe", () -> (Long) ((List<?>) server.call("PUBSUB", "NUMSUB",
          "kvstore:invalidate:" + name)).get(1) == 2);
      nsA.blocking().put("k", Workout.of("v1", 1, 1));
      await("B to hear of v1", () -> b.stats().invalidationsReceived() == 1);
      assertEquals("v1", user(nsB));

      server.call("SCRIPT", "FLUSH");
      List<String> ran;
      try (Monitor monitor = new Monitor(server.port())) {
        nsA.blocking().put("k", Workout.of("v2", 1, 1));
        ran = monitor.until(line -> line.contains("\"PUBLISH\""), WAIT);
      }
      int publish = ran.size() - 1;
      int retry = indexOf(ran, l -> l.contains("\"EVAL\""));
      int write = indexOf(ran, l -> l.contains(" lua]") && l.contains("\"{" + name + "}:k\""));
      assertTrue(retry >= 0, () -> "the script was not sent again after NOSCRIPT: " + ran);
      assertTrue(retry < write && write < publish, () -> "order: " + ran);

      await("B to hear of v2", () -> b.stats().invalidationsReceived() == 2);
      assertEquals("v2", user(nsB), "the first read after the invalidation");
    }
  }

  private static int indexOf(List<String> lines, Predicate<String> match) {
    for (int i = 0; i < lines.size(); i++) {
      if (match.test(lines.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** A {@code MONITOR} connection: the commands the server runs, in the order it runs them. */
  private static final class Monitor implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;

    Monitor(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.UTF_8));
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
          StandardCharsets.UTF_8));
      assertEquals("+OK", in.readLine());
    }

    /** The lines read until one matches, that one included. */
    List<String> until(Predicate<String> last, Duration within) throws IOException {
      List<String> lines = new ArrayList<>();
      long deadline = System.nanoTime() + within.toNanos();
      String line;
      do {
        assertTrue(System.nanoTime() < deadline, () -> "MONITOR showed no match: " + lines);
        line = in.readLine();
        assertTrue(line != null, "MONITOR connection closed");
        lines.add(line);
      } while (!last.test(line));
      return lines;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static String user(KvNamespace<Workout> ns) {
    return ns.blocking().get("k").map(Workout::user).orElse("missing");
  }

  /** The master that owns a key's slot, from {@code CLUSTER SLOTS}. */
  private static RedisServer masterOf(RedisCluster cluster, String key) {
    RedisServer any = cluster.masters().get(0);
    long slot = (Long) any.call("CLUSTER", "KEYSLOT", key);
    for (Object range : (List<?>) any.call("CLUSTER", "SLOTS")) {
      List<?> r = (List<?>) range;
      if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
        long port = (Long) ((List<?>) r.get(2)).get(1);
        return cluster.masters().stream().filter(m -> m.port() == port).findFirst()
            .orElseThrow();
      }
    }
    throw new AssertionError("no master owns slot " + slot);
  }

  /** Subscribers of the channel over every master (pub/sub subscriptions are per node). */
  private static long subscribers(RedisCluster cluster, String channel) {
    return cluster.masters().stream().mapToLong(m -> (Long) ((List<?>) m.call("PUBSUB",
        "NUMSUB", channel)).get(1)).sum();
  }

  private static long publishCalls(RedisServer server) {
    String stats = (String) server.call("INFO", "commandstats");
    return stats.lines().filter(l -> l.startsWith("cmdstat_publish:")).findFirst()
        .map(l -> Long.parseLong(l.replaceAll("^cmdstat_publish:calls=(\\d+),.*", "$1")))
        .orElse(0L);
  }

  private static void await(String what, BooleanSupplier condition) {
    Awaits.until(what, WAIT, condition);
  }
}
