package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.testkit.redis.RedisExtension;
import io.kvstore.testkit.redis.TcpProxy;
import io.kvstore.testing.Workout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What is specific to Redis: chunking, pipelining, server-side TTLs and the data layout. */
class RedisAdapterTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  private KvStore store;

  @BeforeEach
  void open() {
    REDIS.flushAll();
    store = RedisKvStore.connect(REDIS.uri());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Map<String, Workout> workouts(String user, int count) {
    Map<String, Workout> data = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      Workout w = Workout.of(user, i / 4 + 1, i % 4 + 1);
      data.put(user + ":" + i, w);
    }
    return data;
  }

  private static long mgetCalls() {
    return commandCalls("mget");
  }

  @Test
  void getAllOf2000KeysIsFourChunkedMgetsInOneRoundTrip() {
    KvNamespace<Workout> ns = store.namespace(
        NamespaceOptions.builder("workout", Workout.class).build());
    Map<String, Workout> data = workouts("big", 2000);
    ns.blocking().putAll(data);
    long mgetsBefore = mgetCalls();
    AtomicReference<Map<String, Workout>> got = new AtomicReference<>();
    long trips = KvRoundTrips.count(store, () -> got.set(ns.blocking().getAll(data.keySet())));
    assertEquals(1, trips);
    assertEquals(4, mgetCalls() - mgetsBefore, "2000 keys in chunks of 500");
    assertEquals(data, got.get());
  }

  /**
   * Proof of pipelining that does not depend on timing: behind a proxy that holds every reply for
   * 200 ms, a client that awaited each chunk's reply could only have written one MGET by the time
   * the first reply is released; a pipelining client has written all four.
   */
  @Test
  void allChunksAreWrittenBeforeAnyReplyArrives() throws Exception {
    try (TcpProxy proxy = TcpProxy.start(REDIS.process().port(), Duration.ofMillis(400));
        KvStore viaProxy = RedisKvStore.connect(proxy.uri())) {
      KvNamespace<Workout> ns = viaProxy.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      Map<String, Workout> data = workouts("pipe", 2000);
      ns.blocking().putAll(data);

      AtomicInteger mgetsWritten = new AtomicInteger();
      AtomicInteger mgetsWrittenAtFirstReply = new AtomicInteger(-1);
      byte[] mget = "MGET".getBytes(StandardCharsets.US_ASCII);
      proxy.onUpstream(chunk -> mgetsWritten.addAndGet(count(chunk, mget)));
      proxy.onDownstream(chunk -> mgetsWrittenAtFirstReply.compareAndSet(-1, mgetsWritten.get()));

      assertEquals(data, ns.blocking().getAll(data.keySet()));
      assertEquals(4, mgetsWrittenAtFirstReply.get());
    }
  }

  private static int count(byte[] haystack, byte[] needle) {
    int n = 0;
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      n++;
    }
    return n;
  }

  @Test
  void valuesArePlainStringsAtNamespaceColonKey() {
    KvNamespace<Workout> ns = store.namespace(
        NamespaceOptions.builder("workout", Workout.class).build());
    Workout w = Workout.of("user-42", 1, 1);
    ns.blocking().put("user-42:w01:d1", w);
    String raw = (String) REDIS.process().call("GET", "workout:user-42:w01:d1");
    assertTrue(raw.startsWith("{\"user\":\"user-42\""), raw);
    assertEquals("string", REDIS.process().call("TYPE", "workout:user-42:w01:d1"));
  }

  @Test
  void ttlsAreSetOnTheServer() {
    KvNamespace<Workout> ns = store.namespace(NamespaceOptions.builder("ttl", Workout.class)
        .ttl(TtlPolicy.fixed(Duration.ofDays(180))).build());
    ns.blocking().put("k", Workout.of("u", 1, 1));
    long pttl = (Long) REDIS.process().call("PTTL", "ttl:k");
    assertTrue(pttl > Duration.ofDays(179).toMillis() && pttl <= Duration.ofDays(180).toMillis(),
        "PTTL " + pttl);
  }

  @Test
  void slidingTtlReadsMoveTheServerTtlWithGetex() {
    KvNamespace<Workout> ns = store.namespace(NamespaceOptions.builder("slide", Workout.class)
        .ttl(TtlPolicy.sliding(Duration.ofHours(1))).build());
    ns.blocking().put("k", Workout.of("u", 1, 1));
    REDIS.process().call("PEXPIRE", "slide:k", "5000");
    long getexBefore = commandCalls("getex");
    assertEquals(1, KvRoundTrips.count(store, () -> ns.blocking().get("k").orElseThrow()));
    long pttl = (Long) REDIS.process().call("PTTL", "slide:k");
    assertTrue(pttl > Duration.ofMinutes(59).toMillis(), "PTTL after a sliding read: " + pttl);
    assertEquals(1, commandCalls("getex") - getexBefore);
  }

  private static long commandCalls(String command) {
    String stats = (String) REDIS.process().call("INFO", "commandstats");
    return stats.lines().filter(l -> l.startsWith("cmdstat_" + command + ":")).findFirst()
        .map(l -> Long.parseLong(l.replaceAll("^cmdstat_[a-z]+:calls=(\\d+),.*", "$1")))
        .orElse(0L);
  }

  @Test
  void globCharactersInPrefixesAndNamespacesMatchLiterally() {
    KvNamespace<String> star = store.namespace(
        NamespaceOptions.builder("t*", io.kvstore.KvCodec.utf8()).build());
    KvNamespace<String> t2 = store.namespace(
        NamespaceOptions.builder("t2", io.kvstore.KvCodec.utf8()).build());
    t2.blocking().put("secret", "tenant 2");
    star.blocking().put("a*1", "x");
    star.blocking().put("ab", "y");
    assertEquals(List.of(), star.blocking().list(ListOptions.prefix("secret")).keys());
    assertEquals(List.of("a*1"), star.blocking().list(ListOptions.prefix("a*")).names());
    assertEquals(2, star.blocking().list(ListOptions.all()).keys().size());
  }
}
