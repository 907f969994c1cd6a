package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodecException;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Coalesced gets on one Redis server: a burst of 64 gets is one {@code GET} and one 63-key
 * {@code MGET}, two round trips, with each caller's own value or error, sliding TTLs extended
 * by {@code GETEX} per key, and the near cache in front.
 *
 * <p>On loopback a reply can come back before the test thread has issued the next get, so
 * each burst is issued while the server is paused ({@code CLIENT PAUSE}, a slow network for a
 * moment): the first get is then surely in flight while the others are issued. The counts
 * asserted are the same as whenever issuing the burst takes less than one round trip.
 */
class RedisCoalescedGetTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  private KvStore store;

  @BeforeEach
  void open() {
    REDIS.flushAll();
    store = RedisKvStore.connect(REDIS.uri(),
        RedisKvOptions.builder().coalesceGets(true).build());
  }

  @AfterEach
  void close() {
    store.close();
  }


  private static RedisServer server() {
    return REDIS.process();
  }

  /** Issues the gets while the server is paused, then waits for them all. */
  static <V> List<CompletableFuture<Optional<V>>> burst(List<RedisServer> servers,
      KvNamespace<V> ns, List<String> keys) {
    servers.forEach(s -> s.call("CLIENT", "PAUSE", "300", "ALL"));
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
  void sixtyFourConcurrentGetsAreOneGetAndOneMgetWithinABudgetOfTwoRoundTrips() {
    KvNamespace<Workout> ns = store.namespace(
        NamespaceOptions.builder("workout", Workout.class).build());
    Map<String, Workout> data = Workout.program("user-42", 64);
    ns.blocking().putAll(data);
    List<String> keys = List.copyOf(data.keySet());

    long gets = server().commandCalls("get");
    long mgets = server().commandCalls("mget");
    KvRoundTrips.assertAtMost(store, 2,
        () -> assertValues(data, keys, burst(List.of(server()), ns, keys)));
    assertEquals(gets + 1, server().commandCalls("get"));
    assertEquals(mgets + 1, server().commandCalls("mget"));

    AssertionError loop = assertThrows(AssertionError.class, () -> KvRoundTrips.assertAtMost(
        store, 2, () -> keys.forEach(k -> ns.get(k).join())));
    assertTrue(loop.getMessage().contains("the block made 64"), loop.getMessage());
    assertTrue(loop.getMessage().contains("getAll"), loop.getMessage());
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

    List<CompletableFuture<Optional<Workout>>> gets = burst(List.of(server()), ns, keys);

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

    long getex = server().commandCalls("getex");
    long trips = KvRoundTrips.count(store,
        () -> assertValues(data, keys, burst(List.of(server()), ns, keys)));
    assertEquals(2, trips);
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

    long misses = KvRoundTrips.count(store,
        () -> assertValues(data, keys, burst(List.of(server()), ns, keys)));
    assertEquals(2, misses);
    assertEquals(0, KvRoundTrips.count(store,
        () -> assertValues(data, keys, burst(List.of(server()), ns, keys))));
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
          () -> assertValues(data, keys, burst(List.of(server()), ns, keys)));
      assertEquals(64, trips);
      assertEquals(gets + 64, server().commandCalls("get"));
    }
  }
}
