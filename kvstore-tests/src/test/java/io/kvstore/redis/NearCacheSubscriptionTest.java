package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvTimeoutException;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.testkit.redis.RedisExtension;
import io.kvstore.testkit.redis.TcpProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A near-cached namespace opens only once its invalidation subscription is active. Had it opened
 * before Redis acknowledged the {@code SUBSCRIBE}, it could cache a value that another instance
 * then overwrites, and that instance's PUBLISH, run while the subscription was not active yet,
 * would reach nobody: the near cache would serve the old value until {@code expireAfterWrite}.
 *
 * <p>{@link SubscribeGate} holds the opening store's {@code SUBSCRIBE} back, so the window is as
 * wide as the test wants, without timing anything: the other instance writes while the
 * subscription is held, and only then is it let through.
 */
class NearCacheSubscriptionTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  /**
   * How long the other instance waits for the first store's first read before it writes anyway.
   * A store that opens only once subscribed cannot read while its SUBSCRIBE is held, so it never
   * comes, and the write goes ahead after this wait; a store that opens earlier reads v0 first,
   * and the write then overwrites a value its near cache holds. The outcome does not depend on
   * this length, only how early a broken store is caught.
   */
  private static final long FIRST_READ_WAIT_MILLIS = 1_000;

  private static NamespaceOptions<String> nearCached(String name) {
    return NamespaceOptions.builder(name, KvCodec.utf8())
        .nearCache(NearCacheOptions.builder().expireAfterWrite(Duration.ofMinutes(10)).build())
        .build();
  }

  private static long subscribers(String namespace) {
    List<?> reply = (List<?>) REDIS.process().call("PUBSUB", "NUMSUB",
        "kvstore:invalidate:" + namespace);
    return (Long) reply.get(1);
  }

  @Test
  void aWriteByAnotherInstanceWhileTheNamespaceOpensIsNeverMissed() throws Exception {
    REDIS.flushAll();
    String name = "subscribe-window";
    RedisKvOptions patient = RedisKvOptions.builder().timeout(Duration.ofSeconds(10)).build();
    try (SubscribeGate gate = SubscribeGate.start(REDIS.process().port());
        KvStore a = RedisKvStore.connect(gate.uri(), patient);
        KvStore b = RedisKvStore.connect(REDIS.uri())) {
      KvNamespace<String> writer = b.namespace(
          NamespaceOptions.builder(name, KvCodec.utf8()).build());
      writer.blocking().put("k", "v0");
      CountDownLatch firstRead = new CountDownLatch(1);
      // B writes v1 while A's SUBSCRIBE waits at the gate, then lets it through.
      CompletableFuture<Void> written = gate.held().thenRunAsync(() -> {
        try {
          firstRead.await(FIRST_READ_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        writer.blocking().put("k", "v1");
        gate.release();
      });

      KvNamespace<String> ns = a.namespace(nearCached(name));
      ns.blocking().get("k");
      firstRead.countDown();
      written.get(10, TimeUnit.SECONDS);

      for (int i = 0; i < 20; i++) {
        assertEquals(Optional.of("v1"), ns.blocking().get("k"),
            "A never serves the value B overwrote while A's namespace opened");
      }
    }
  }

  @Test
  void aSubscriptionRedisNeverAcknowledgesFailsTheOpeningWithinTheTimeout() throws Exception {
    REDIS.flushAll();
    String name = "never-acknowledged";
    RedisKvOptions quick = RedisKvOptions.builder().timeout(Duration.ofMillis(500)).build();
    try (SubscribeGate gate = SubscribeGate.start(REDIS.process().port());
        KvStore a = RedisKvStore.connect(gate.uri(), quick)) {
      KvTimeoutException e = assertThrows(KvTimeoutException.class,
          () -> a.namespace(nearCached(name)));
      assertTrue(e.getMessage().contains("namespace '" + name + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("subscribing"), e.getMessage());
      assertTrue(e.getMessage().contains("500 ms"), e.getMessage());
      assertTrue(gate.held().isDone(), "the SUBSCRIBE was sent and held");

      // The store itself works; a namespace without a near cache needs no subscription.
      KvNamespace<String> plain = a.namespace(NamespaceOptions.builder(name, KvCodec.utf8())
          .build());
      plain.blocking().put("k", "v");
      assertEquals(Optional.of("v"), plain.blocking().get("k"));

      // Once Redis answers, the next opening subscribes again, and is active when it returns.
      gate.release();
      KvNamespace<String> ns = a.namespace(nearCached(name));
      assertEquals(1, subscribers(name));
      assertEquals(Optional.of("v"), ns.blocking().get("k"));
    }
  }

  @Test
  void aUserWithoutTheChannelCannotOpenANearCachedNamespaceAndIsToldWhy() {
    REDIS.flushAll();
    String name = "no-channel";
    // Redis 7 gives a new ACL user no channels (acl-pubsub-default resetchannels).
    REDIS.process().call("ACL", "SETUSER", "nochannel", "on", ">secret-1", "~*", "+@all",
        "resetchannels");
    String uri = "redis://nochannel:secret-1@127.0.0.1:" + REDIS.process().port();
    try (KvStore store = RedisKvStore.connect(uri)) {
      KvException e = assertThrows(KvException.class, () -> store.namespace(nearCached(name)));
      assertTrue(e.getMessage().contains("namespace '" + name + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("kvstore:invalidate:" + name), e.getMessage());
      assertTrue(e.getMessage().contains("NOPERM"), e.getMessage());
      assertEquals(0, subscribers(name));

      KvNamespace<String> plain = store.namespace(NamespaceOptions.builder(name, KvCodec.utf8())
          .build());
      plain.blocking().put("k", "v");
      assertEquals(Optional.of("v"), plain.blocking().get("k"));
    } finally {
      REDIS.process().call("ACL", "DELUSER", "nochannel");
    }
  }

  /**
   * A {@link TcpProxy} in front of the test's Redis that holds back a client's {@code SUBSCRIBE}:
   * the first chunk a connection sends that contains one, and everything that connection sends
   * after it, wait until {@link #release()} (the proxy releases a connection's chunks in order,
   * after its upstream observers return). Other connections and all replies pass at once.
   */
  private static final class SubscribeGate implements AutoCloseable {
    private static final byte[] SUBSCRIBE = "SUBSCRIBE".getBytes(StandardCharsets.US_ASCII);

    private final TcpProxy proxy;
    private final CompletableFuture<Void> held = new CompletableFuture<>();
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    private SubscribeGate(TcpProxy proxy) {
      this.proxy = proxy;
      proxy.onUpstream(bytes -> {
        if (!released.isDone() && contains(bytes, SUBSCRIBE)) {
          held.complete(null);
          released.join();
        }
      });
    }

    /** A gate that holds the first {@code SUBSCRIBE}, in front of 127.0.0.1:port. */
    static SubscribeGate start(int port) throws IOException {
      return new SubscribeGate(TcpProxy.start(port, Duration.ZERO));
    }

    String uri() {
      return proxy.uri();
    }

    /** Completes once a {@code SUBSCRIBE} waits at the gate: it has not reached Redis. */
    CompletableFuture<Void> held() {
      return held;
    }

    /** Lets what the gate holds through, and everything after it. */
    void release() {
      released.complete(null);
    }

    private static boolean contains(byte[] bytes, byte[] word) {
      outer:
      for (int i = 0; i + word.length <= bytes.length; i++) {
        for (int j = 0; j < word.length; j++) {
          if (bytes[i + j] != word[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    }

    @Override
    public void close() {
      release();
      proxy.close();
    }
  }
}
