package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodecException;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.PutOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.testkit.redis.RedisExtension;
import io.kvstore.testkit.redis.RedisServer;
import io.kvstore.testing.Workout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Coalesced gets on one Redis server (on by default): a burst of gets leaves in batches sent
 * from the connection's I/O thread, with each caller's own value or error, sliding TTLs
 * extended by {@code GETEX} per key, and the near cache in front.
 *
 * <p>How many batches a burst makes depends on how far the test thread gets before the I/O
 * thread runs the send task, which a loaded machine changes; so what is asserted is what holds
 * however they interleave: every answer, fewer commands than gets, and round trips counted
 * exactly as the commands Redis ran ({@code INFO commandstats}). That a burst issued before the
 * next chance to send is exactly one batch is asserted on the embedded store, whose sends a test
 * can hold ({@code CoalescedGetTest}).
 */
class RedisCoalescedGetTest {
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


  private static RedisServer server() {
    return REDIS.process();
  }

  /** The calls Redis counted of these commands. */
  private static long commands(String... names) {
    long calls = 0;
    for (String name : names) {
      calls += server().commandCalls(name);
    }
    return calls;
  }

  /**
   * Runs the get paths (plain and near-cached) until the JIT has compiled them, before a burst
   * whose batching is asserted: interpreted, each get takes longer than the hand-off to the I/O
   * thread, so a burst leaves in pieces (still pipelined, still counted honestly).
   */
  static void warmUp(KvStore store) {
    KvNamespace<String> plain = store.namespace(
        NamespaceOptions.builder("warm-up", String.class).build());
    KvNamespace<String> near = store.namespace(NamespaceOptions.builder("warm-up-near", String.class)
        .nearCache(NearCacheOptions.builder().build()).build());
    for (int round = 0; round < 40; round++) {
      String prefix = round + ":";
      List<String> keys = IntStream.range(0, 64).mapToObj(i -> prefix + i).toList();
      burst(plain, keys);
      burst(near, keys);
    }
  }

  /** Issues the gets without waiting, then waits for them all. */
  static <V> List<CompletableFuture<Optional<V>>> burst(KvNamespace<V> ns, List<String> keys) {
    List<CompletableFuture<Optional<V>>> gets = keys.stream().map(ns::get).toList();
    CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).handle((v, e) -> null)
        .join();
    return gets;
  }

  private static <V> void assertValues(Map<String, V> expected, List<String> keys,
      List<CompletableFuture<Optional<V>>> gets) {
    for (int i = 0; i < keys.size(); i++) {
      assertEquals(Optional.ofNullable(expected.get(keys.get(i))), gets.get(i).join(),
          keys.get(i));
    }
  }

  @Test
  void sixtyFourConcurrentGetsAreFewerCommandsThanGetsEachCountedAsARoundTrip() {
    KvNamespace<Workout> ns = store.namespace(
        NamespaceOptions.builder("workout", Workout.class).build());
    Map<String, Workout> data = Workout.program("user-42", 64);
    ns.blocking().putAll(data);
    List<String> keys = List.copyOf(data.keySet());
    warmUp(store);

    long commands = commands("get", "mget");
    long trips = KvRoundTrips.count(store, () -> assertValues(data, keys, burst(ns, keys)));
    assertEquals(commands("get", "mget") - commands, trips);
    assertTrue(trips < 64, trips + " round trips");

    AssertionError loop = assertThrows(AssertionError.class, () -> KvRoundTrips.assertAtMost(
        store, 2, () -> keys.forEach(k -> ns.get(k).join())));
    assertTrue(loop.getMessage().contains("the block made 64"), loop.getMessage());
    assertTrue(loop.getMessage().contains("getAll"), loop.getMessage());
  }

  @Test
  void batchesAreBuiltAndWrittenOnTheConnectionsIoThreadOnceARepliesShowedWhichItIs() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    Listing recording = Listing.indexedBy(key -> {
      threads.add(Thread.currentThread().getName());
      return key.substring(0, 1);
    });
    KvNamespace<String> coalescing = store.namespace(
        NamespaceOptions.builder("parts", String.class).listing(recording).build());
    KvNamespace<String> plain = store.namespace(NamespaceOptions.builder("parts", String.class)
        .listing(recording).coalesceGets(false).build());
    coalescing.blocking().put("a1", "v");

    threads.clear();
    assertEquals(Optional.of("v"), coalescing.get("a1").join());
    // The key is routed where the command is built: by the send task, on Lettuce's I/O thread.
    assertTrue(threads.stream().anyMatch(t -> t.contains("EventLoop")), threads::toString);

    threads.clear();
    assertEquals(Optional.of("v"), plain.get("a1").join());
    assertEquals(Set.of(Thread.currentThread().getName()), threads);
  }

  @Test
  void aGetIssuedAfterAnUnawaitedPutOfItsKeyReadsThePutsValue() {
    KvNamespace<String> ns = store.namespace(NamespaceOptions.builder("order", String.class)
        .build());
    ns.blocking().put("k", "v0");
    // The send task is queued on the I/O thread behind the put's write, as Lettuce keeps the
    // order of the commands of one connection: read-your-writes holds without waiting.
    for (int i = 1; i <= 200; i++) {
      CompletableFuture<Void> put = ns.put("k", "v" + i);
      CompletableFuture<Optional<String>> get = ns.get("k");
      assertEquals(Optional.of("v" + i), get.join());
      put.join();
    }
  }

  @Test
  void anUndecodableValueFailsOnlyItsOwnCaller() {
    KvNamespace<Workout> ns = store.namespace(
        NamespaceOptions.builder("workout", Workout.class).build());
    Map<String, Workout> data = Workout.program("user-5", 10);
    ns.blocking().putAll(data);
    server().set("workout:broken", "{not json".getBytes(StandardCharsets.UTF_8));
    List<String> keys = new ArrayList<>(data.keySet());
    keys.add(3, "broken");
    keys.add("missing");

    List<CompletableFuture<Optional<Workout>>> gets = burst(ns, keys);

    CompletionException broken = assertThrows(CompletionException.class,
        () -> gets.get(3).join());
    assertInstanceOf(KvCodecException.class, broken.getCause());
    assertEquals("broken", ((KvCodecException) broken.getCause()).key());
    List<String> good = new ArrayList<>(keys);
    good.remove(3);
    List<CompletableFuture<Optional<Workout>>> goodGets = new ArrayList<>(gets);
    goodGets.remove(3);
    assertValues(data, good, goodGets);
  }

  @Test
  void slidingTtlsAreExtendedForEveryKeyOfABatch() {
    KvNamespace<Workout> ns = store.namespace(NamespaceOptions.builder("workout", Workout.class)
        .ttl(TtlPolicy.sliding(Duration.ofMinutes(10))).build());
    Map<String, Workout> data = Workout.program("user-9", 32);
    ns.blocking().putAll(data, PutOptions.ttl(Duration.ofSeconds(100)));
    List<String> keys = List.copyOf(data.keySet());

    warmUp(store);
    long getex = server().commandCalls("getex");
    long trips = KvRoundTrips.count(store,
        () -> assertValues(data, keys, burst(ns, keys)));
    assertTrue(trips < 32, trips + " round trips");
    assertEquals(getex + 32, server().commandCalls("getex"));
    for (String key : keys) {
      long pttl = (Long) server().call("PTTL", "workout:" + key);
      assertTrue(pttl > Duration.ofSeconds(100).toMillis(), key + " PTTL " + pttl);
    }
  }

  @Test
  void nearCacheMissesShareOneBatchAndHitsCostNothing() {
    KvNamespace<Workout> ns = store.namespace(NamespaceOptions.builder("workout", Workout.class)
        .nearCache(NearCacheOptions.builder().build()).build());
    Map<String, Workout> data = Workout.program("user-10", 32);
    ns.blocking().putAll(data);
    List<String> keys = new ArrayList<>(data.keySet());
    keys.addAll(data.keySet());
    // The near cache reads values with their TTLs by a Lua script: load it first (NOSCRIPT,
    // then EVAL, the first time only), so the burst's round trips are the burst's own.
    ns.blocking().get("warm-up");

    warmUp(store);
    long scripts = commands("evalsha", "eval");
    long misses = KvRoundTrips.count(store,
        () -> assertValues(data, keys, burst(ns, keys)));
    // One script per batch of misses; the second get of each key joined the first one's fetch.
    assertEquals(commands("evalsha", "eval") - scripts, misses);
    assertTrue(misses < 32, misses + " round trips");
    assertEquals(0, KvRoundTrips.count(store,
        () -> assertValues(data, keys, burst(ns, keys))));
  }

  @Test
  void offForTheStoreEachGetIsACommandAndARoundTripOfItsOwn() {
    try (KvStore plain = RedisKvStore.connect(REDIS.uri(),
        RedisKvOptions.builder().coalesceGets(false).build())) {
      KvNamespace<Workout> ns = plain.namespace(
          NamespaceOptions.builder("workout", Workout.class).build());
      Map<String, Workout> data = Workout.program("user-11", 64);
      ns.blocking().putAll(data);
      List<String> keys = List.copyOf(data.keySet());

      long gets = server().commandCalls("get");
      long trips = KvRoundTrips.count(plain,
          () -> assertValues(data, keys, burst(ns, keys)));
      assertEquals(64, trips);
      assertEquals(gets + 64, server().commandCalls("get"));
    }
  }
}
