package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisExtension;
import io.kvstore.testkit.redis.RedisServer;
import io.kvstore.testkit.redis.TcpProxy;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Near caches invalidated by the server ({@code CLIENT TRACKING BCAST}, the default): a writer on
 * a plain Lettuce connection, which publishes nothing, changes, deletes and expires keys of a
 * near-cached namespace, and a kvstore reader sees each change; a {@code FLUSHALL} or
 * {@code FLUSHDB} clears the cache, and a key the server evicts is dropped; a killed tracking
 * connection clears it and, once back, no read is stale; a read racing an invalidation never
 * caches the old value. Entries would otherwise live 10 minutes, so every change seen here came
 * from the server. Waits poll ({@link Awaits}); nothing sleeps.
 */
class ServerTrackingTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  private static final Duration BOUND = Duration.ofSeconds(5);

  private RedisClient plainClient;
  private RedisCommands<String, String> writer;
  private KvStore reader;

  @BeforeEach
  void open() {
    REDIS.flushAll();
    plainClient = RedisClient.create(REDIS.uri());
    StatefulRedisConnection<String, String> connection = plainClient.connect();
    writer = connection.sync();
  }

  @AfterEach
  void close() {
    if (reader != null) {
      reader.close();
    }
    plainClient.shutdown();
  }

  private static NamespaceOptions<String> cached(String name, Listing listing) {
    return NamespaceOptions.builder(name, KvCodec.utf8()).listing(listing)
        .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(10)).build())
        .build();
  }

  private static String seen(KvNamespace<String> ns, String key) {
    return ns.blocking().get(key).orElse("missing");
  }

  /** Reads until the value is cached: a read that costs no round trip. */
  private void awaitCached(KvNamespace<String> ns, String key, String value) {
    Awaits.until("'" + key + "' cached as " + value, BOUND, () -> {
      return KvRoundTrips.count(reader, () -> {
        assertEquals(value, seen(ns, key));
      }) == 0;
    });
  }

  @Test
  void aPlainClientsChangesDeletesAndExpiriesAreSeenInEveryLayout() {
    reader = RedisKvStore.connect(REDIS.uri());
    KvNamespace<String> plain = reader.namespace(cached("doc", Listing.UNINDEXED));
    KvNamespace<String> indexed = reader.namespace(cached("idx", Listing.INDEXED));
    KvNamespace<String> parts = reader.namespace(
        cached("part", Listing.indexedBy(Listing.firstSegment(':'))));
    String[][] layouts = {{"doc:", "k"}, {"{idx}:", "k"}, {"{part:u1}:", "u1:k"}};
    KvNamespace<?>[] spaces = {plain, indexed, parts};
    for (int i = 0; i < layouts.length; i++) {
      @SuppressWarnings("unchecked")
      KvNamespace<String> ns = (KvNamespace<String>) spaces[i];
      String key = layouts[i][1];
      String redisKey = layouts[i][0] + key;
      writer.set(redisKey, "v1");
      awaitCached(ns, key, "v1");

      writer.set(redisKey, "v2");
      Awaits.until(redisKey + " changed", BOUND, () -> seen(ns, key).equals("v2"));
      awaitCached(ns, key, "v2");

      writer.del(redisKey);
      Awaits.until(redisKey + " deleted", BOUND, () -> seen(ns, key).equals("missing"));

      writer.set(redisKey, "v3");
      awaitCached(ns, key, "v3");
      writer.pexpire(redisKey, 100);
      Awaits.until(redisKey + " expired", BOUND, () -> seen(ns, key).equals("missing"));
    }
  }

  /** Opens the reader on {@code doc} and has it cache {@code a = v1}, written by the plain client. */
  private KvNamespace<String> readerCachingV1(RedisKvOptions options) {
    reader = RedisKvStore.connect(REDIS.uri(), options);
    KvNamespace<String> ns = reader.namespace(cached("doc", Listing.UNINDEXED));
    writer.set("doc:a", "v1");
    awaitCached(ns, "a", "v1");
    return ns;
  }

  @Test
  void aFlushAllClearsTheNearCache() {
    KvNamespace<String> ns = readerCachingV1(RedisKvOptions.defaults());
    writer.flushall();
    Awaits.until("the flush seen", BOUND, () -> seen(ns, "a").equals("missing"));
  }

  @Test
  void aFlushDbClearsTheNearCache() {
    KvNamespace<String> ns = readerCachingV1(RedisKvOptions.defaults());
    writer.flushdb();
    Awaits.until("the flush seen", BOUND, () -> seen(ns, "a").equals("missing"));
  }

  /**
   * A key the server evicts (its own server: {@code maxmemory} 4 MB, {@code allkeys-lru}) is
   * dropped from the near cache: the reader cached it, then a plain client writes other keys
   * until Redis evicts it ({@code EXISTS} does not touch it), and the reader reads it missing.
   */
  @Test
  void aKeyTheServerEvictsIsDroppedFromTheNearCache() {
    try (RedisServer small = RedisServer.start(
        List.of("--maxmemory", "4mb", "--maxmemory-policy", "allkeys-lru"));
        KvStore evicted = RedisKvStore.connect(small.uri())) {
      RedisClient client = RedisClient.create(small.uri());
      try {
        RedisCommands<String, String> plain = client.connect().sync();
        KvNamespace<String> ns = evicted.namespace(cached("doc", Listing.UNINDEXED));
        plain.set("doc:a", "v1");
        Awaits.until("'a' cached as v1", BOUND, () -> KvRoundTrips.count(evicted,
            () -> assertEquals("v1", seen(ns, "a"))) == 0);
        long heard = evicted.stats().invalidationsReceived();
        String filler = "x".repeat(32 * 1024);
        for (int i = 0; plain.exists("doc:a") == 1; i++) {
          assertTrue(i < 10_000, "doc:a never evicted");
          plain.set("filler:" + i, filler);
        }
        Awaits.until("the eviction seen", BOUND, () -> seen(ns, "a").equals("missing"));
        assertTrue(evicted.stats().invalidationsReceived() > heard, "told by the server");
        assertTrue(small.call("INFO", "stats").toString().lines()
            .anyMatch(l -> l.startsWith("evicted_keys:") && !l.trim().equals("evicted_keys:0")),
            "Redis evicted keys");
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void aKilledTrackingConnectionClearsTheCacheAndNoReadIsStaleOnceItIsBack() {
    KvNamespace<String> ns = readerCachingV1(RedisKvOptions.defaults());
    long first = trackingClientId();

    writer.clientKill(KillArgs.Builder.id(first));
    // Written while nothing may be listening: the cache must not keep v1.
    writer.set("doc:a", "v2");
    Awaits.until("the write made while tracking was down seen", BOUND,
        () -> seen(ns, "a").equals("v2"));
    Awaits.until("tracking back on a new connection", BOUND, () -> {
      Long id = trackingClientIdOrNull();
      return id != null && id != first;
    });
    awaitCached(ns, "a", "v2");
    writer.set("doc:a", "v3");
    Awaits.until("a write after the reconnect seen", BOUND, () -> seen(ns, "a").equals("v3"));
    for (int i = 0; i < 20; i++) {
      assertEquals("v3", seen(ns, "a"), "never back to an older value");
    }
  }

  /**
   * While the tracking connection cannot come back (the server refuses new clients), nothing is
   * kept: each read goes to the store, so a plain client's write is seen at once; once tracking
   * is back, reads are cached again. Without the pause, the first read after the drop refilled
   * the cache and the write below stayed unseen for as long as the outage lasted.
   */
  @Test
  void whileTheTrackingConnectionIsDownReadsGoToTheStoreAndKeepNothing() {
    KvNamespace<String> ns = readerCachingV1(RedisKvOptions.defaults());
    long first = trackingClientId();
    String maxClients = writer.configGet("maxclients").get("maxclients");
    try {
      // Every connection the server has stays; no new one is accepted.
      writer.configSet("maxclients", Long.toString(writer.clientList().split("\n").length - 1));
      writer.clientKill(KillArgs.Builder.id(first));
      Awaits.until("the drop noticed: a read goes to the store", BOUND,
          () -> KvRoundTrips.count(reader, () -> seen(ns, "a")) == 1);
      for (int i = 0; i < 5; i++) {
        assertEquals(1, KvRoundTrips.count(reader, () -> assertEquals("v1", seen(ns, "a"))),
            "a read while tracking is down is not kept");
      }
      writer.set("doc:a", "v2");
      assertEquals("v2", seen(ns, "a"), "a write made while tracking is down is seen at once");
      assertEquals(null, trackingClientIdOrNull(), "tracking was held down all along");
    } finally {
      writer.configSet("maxclients", maxClients);
    }
    awaitCached(ns, "a", "v2");
    writer.set("doc:a", "v3");
    Awaits.until("a write after the reconnect seen", BOUND, () -> seen(ns, "a").equals("v3"));
  }

  @Test
  void aReadRacingAnInvalidationNeverCachesTheOldValue() throws Exception {
    try (TcpProxy proxy = TcpProxy.start(REDIS.process().port(), Duration.ZERO)) {
      CountDownLatch replyHeld = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicBoolean armed = new AtomicBoolean();
      // Holds the reply that carries the old value: the read ran on the server before the write,
      // and its reply reaches the reader only after the write's invalidation did.
      proxy.onDownstream(bytes -> {
        if (armed.get() && new String(bytes, StandardCharsets.UTF_8).contains("old-value")
            && armed.compareAndSet(true, false)) {
          replyHeld.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
      reader = RedisKvStore.connect(proxy.uri());
      KvNamespace<String> ns = reader.namespace(cached("doc", Listing.UNINDEXED));
      writer.set("doc:a", "old-value");
      armed.set(true);
      CompletableFuture<Optional<String>> racing = ns.get("a");
      assertTrue(replyHeld.await(BOUND.toMillis(), TimeUnit.MILLISECONDS), "read reply held");
      long heard = reader.stats().invalidationsReceived();
      writer.set("doc:a", "new-value");
      Awaits.until("the invalidation heard while the old reply is held", BOUND,
          () -> reader.stats().invalidationsReceived() > heard);
      release.countDown();
      assertEquals("old-value", racing.get(BOUND.toMillis(), TimeUnit.MILLISECONDS).orElseThrow(),
          "the racing read returns what Redis read before the write");
      assertEquals("new-value", seen(ns, "a"), "but did not cache it");
    }
  }

  @Test
  void turnedOffAPlainClientsWriteIsNotSeenUntilTheEntryExpires() {
    KvNamespace<String> ns = readerCachingV1(
        RedisKvOptions.builder().serverTracking(false).build());
    assertEquals(null, trackingClientIdOrNull(), "no tracking connection");
    writer.set("doc:a", "v2");
    // kvstore's pub/sub alone: nothing tells the reader (what serverTracking is for).
    assertEquals(0, KvRoundTrips.count(reader, () -> assertEquals("v1", seen(ns, "a"))));
  }

  private long trackingClientId() {
    Long id = Awaits.until("a tracking connection", BOUND, this::trackingClientIdOrNull,
        v -> v != null);
    assertNotNull(id);
    return id;
  }

  /** The id of the connection named kvstore-tracking with tracking on, or null. */
  private Long trackingClientIdOrNull() {
    for (String line : writer.clientList().split("\n")) {
      if (line.contains(" name=kvstore-tracking ") && line.matches(".* flags=[^ ]*t[^ ]* .*")) {
        return Long.parseLong(line.replaceAll("^id=(\\d+) .*$", "$1").trim());
      }
    }
    return null;
  }
}
