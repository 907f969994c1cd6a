package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.CounterOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import io.kvstore.KvCount;
import io.kvstore.KvKey;
import io.kvstore.KvNamespace;
import io.kvstore.KvOperation;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.testkit.internal.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The tests of {@code KvStoreContract.Counters}, run there as a {@code @Nested} section on the
 * contract's fixture: {@code increment}, bounded and not, counters read as numbers, the TTL of a
 * created counter, what is refused (a stored non-number, an overflow, a codec that cannot hold
 * counters, bad arguments), near caches (this instance and a peer) and one round trip per call.
 */
abstract class CountersSection extends ContractSection {
  private static final Duration SHORT_TTL = Duration.ofMillis(400);

  private KvNamespace<Long> counters(KvStore on, String name, TtlPolicy ttl) {
    return on.namespace(configure(NamespaceOptions.builder(name, KvCodec.json(Long.class)))
        .ttl(ttl).build());
  }

  private KvNamespace<Long> counters(String name) {
    return counters(store, name, TtlPolicy.none());
  }

  /** The same namespace as text, to write what is not a counter. */
  private BlockingKvNamespace<String> text(String name) {
    return store.namespace(configure(NamespaceOptions.builder(name, KvCodec.utf8())).build())
        .blocking();
  }

  private static Set<String> listed(BlockingKvNamespace<?> ns) {
    Set<String> keys = new HashSet<>();
    ns.list(ListOptions.all()).keys().forEach(k -> keys.add(k.key()));
    return keys;
  }

  @Test
  void incrementCreatesAddsAndReadsAsANumber() {
    BlockingKvNamespace<Long> ns = counters(uniqueName("count")).blocking();
    assertEquals(5, ns.increment("c", 5));
    assertEquals(3, ns.increment("c", -2));
    assertEquals(-4, ns.increment("negative", -4));
    assertEquals(3, ns.increment("c", 0));
    assertEquals(Optional.of(3L), ns.get("c"));
    assertEquals(Map.of("c", 3L, "negative", -4L), ns.getAll(List.of("c", "negative", "none")));
    ns.put("put", 10L);   // a Long put is a counter
    assertEquals(11, ns.increment("put", 1));
    assertEquals(Set.of("c", "negative", "put"), listed(ns));
    assertEquals(Optional.of("11"), text(ns.async().name()).get("put"), "stored as decimal text");
  }

  @Test
  void boundedIncrementIsRefusedAtomicallyAndSaysSo() {
    BlockingKvNamespace<Long> ns = counters(uniqueName("count-bound")).blocking();
    CounterOptions limit = CounterOptions.atMost(2);
    assertEquals(new KvCount(1, true), ns.increment("c", 1, limit));
    assertEquals(new KvCount(2, true), ns.increment("c", 1, limit));
    assertEquals(new KvCount(2, false), ns.increment("c", 1, limit));
    assertEquals(Optional.of(2L), ns.get("c"));
    assertEquals(new KvCount(0, true), ns.increment("c", -2, CounterOptions.atLeast(0)));
    assertEquals(new KvCount(0, false), ns.increment("c", -1, CounterOptions.atLeast(0)));
    assertEquals(new KvCount(5, true), ns.increment("c", 5, CounterOptions.between(0, 5)));
    // Refused at creation: the key stays absent, and unlisted.
    assertEquals(new KvCount(0, false), ns.increment("absent", -1, CounterOptions.atLeast(0)));
    assertEquals(new KvCount(0, false), ns.increment("absent", 3, CounterOptions.atMost(2)));
    assertEquals(Optional.empty(), ns.get("absent"));
    assertEquals(Set.of("c"), listed(ns));
    // Bounds beyond 2^53 compare exactly (a store computing in doubles would get them wrong).
    long big = (1L << 53) + 1;
    ns.put("big", big);
    assertEquals(new KvCount(big, false), ns.increment("big", 1, CounterOptions.atMost(big)));
    assertEquals(new KvCount(big + 2, true),
        ns.increment("big", 2, CounterOptions.atMost(big + 2)));
  }

  @Test
  void aCreatedCounterGetsTheNamespaceTtl() {
    BlockingKvNamespace<Long> ns = counters(store, uniqueName("count-ttl"),
        TtlPolicy.fixed(SHORT_TTL)).blocking();
    assertEquals(1, ns.increment("c", 1));
    assertEquals(2, ns.increment("c", 1));
    Fixtures.advance(fixture, SHORT_TTL.plusMillis(200));
    assertEquals(Optional.empty(), ns.get("c"), "expired with the TTL set at creation");
    assertEquals(1, ns.increment("c", 1), "a new window starts at 1");
  }

  @Test
  void incrementsDoNotExtendTheTtl() {
    Duration ttl = Duration.ofDays(1);
    BlockingKvNamespace<Long> ns = counters(store, uniqueName("count-ttl"),
        TtlPolicy.fixed(ttl)).blocking();
    Instant before = Fixtures.now(fixture);
    ns.increment("c", 1);
    Instant created = expiration(ns, "c").orElseThrow();
    assertFalse(created.isBefore(before.plus(ttl).minusSeconds(5)), created::toString);
    Fixtures.advance(fixture, Duration.ofMillis(300));
    ns.increment("c", 1);
    ns.increment("c", 1, CounterOptions.atMost(0));   // refused: must not touch it either
    Instant after = expiration(ns, "c").orElseThrow();
    // A reset would move it by at least the 300 ms that passed; allow the store's rounding.
    assertTrue(Duration.between(created, after).abs().toMillis() < 150,
        () -> created + " then " + after);
    assertEquals(Optional.of(2L), ns.get("c"));
  }

  @Test
  void aStoredNonNumberFailsNamingTheKeyAndChangesNothing() {
    String name = uniqueName("count-nan");
    BlockingKvNamespace<Long> ns = counters(name).blocking();
    BlockingKvNamespace<String> text = text(name);
    for (String stored : List.of("abc", "007", "1.5", " 1", "+1", "-0", "", "\"5\"",
        "9223372036854775808")) {
      text.put("k", stored);
      KvCodecException e = assertThrows(KvCodecException.class, () -> ns.increment("k", 1),
          stored);
      assertEquals("k", e.key());
      assertTrue(e.getMessage().contains("not a counter"), e.getMessage());
      assertThrows(KvCodecException.class,
          () -> ns.increment("k", 1, CounterOptions.atMost(10)));
      assertEquals(Optional.of(stored), text.get("k"), "nothing changed");
    }
  }

  @Test
  void anOverflowFailsAndChangesNothing() {
    BlockingKvNamespace<Long> ns = counters(uniqueName("count-overflow")).blocking();
    ns.put("max", Long.MAX_VALUE);
    KvValidationException e = assertThrows(KvValidationException.class,
        () -> ns.increment("max", 1));
    assertEquals("delta", e.argument());
    assertTrue(e.getMessage().contains("overflow"), e.getMessage());
    assertEquals(Optional.of(Long.MAX_VALUE), ns.get("max"));
    assertEquals(Long.MIN_VALUE, ns.increment("min", Long.MIN_VALUE));
    assertThrows(KvValidationException.class, () -> ns.increment("min", -1));
    assertEquals(Optional.of(Long.MIN_VALUE), ns.get("min"));
    assertEquals(-1, ns.increment("min", Long.MAX_VALUE));
  }

  @Test
  void anIncrementInvalidatesNearCachesHereAndOnPeers() {
    String name = uniqueName("count-near");
    KvStore peerStore = Fixtures.openPeer(fixture, store);
    try {
      BlockingKvNamespace<Long> ns = counters(store, name, TtlPolicy.none()).blocking();
      BlockingKvNamespace<Long> peer = counters(peerStore, name, TtlPolicy.none()).blocking();
      ns.increment("c", 1);
      assertEquals(Optional.of(1L), ns.get("c"));
      assertEquals(Optional.of(1L), peer.get("c"));
      assertEquals(2, ns.increment("c", 1));
      assertEquals(Optional.of(2L), ns.get("c"), "read-your-writes after increment");
      Awaits.until("the peer's near cache drops the incremented key",
          () -> peer.get("c").equals(Optional.of(2L)));
      assertEquals(Optional.empty(), peer.get("absent"));
      ns.increment("absent", 7);
      Awaits.until("the peer's near cache drops a created counter",
          () -> peer.get("absent").equals(Optional.of(7L)));
    } finally {
      if (peerStore != store) {
        peerStore.close();
      }
    }
  }

  /**
   * One round trip; on a near-cached namespace of a store whose invalidation bus publishes after
   * the write and waits (Redis with server tracking off: a script's PUBLISH never rides in the
   * script's own dispatch), one more for an applied increment. A refused increment changes
   * nothing and publishes nothing.
   */
  @Test
  void anIncrementIsOneRoundTrip() {
    BlockingKvNamespace<Long> ns = counters(uniqueName("count-rt")).blocking();
    int budget = Fixtures.nearCache(fixture) ? 2 : 1;
    for (String step : List.of("create", "add")) {
      long trips = KvRoundTrips.count(store, () -> ns.increment("c", 1));
      assertTrue(trips == 1 || trips == budget, step + ": " + trips);
    }
    long bounded = KvRoundTrips.count(store,
        () -> ns.increment("c", 1, CounterOptions.atMost(10)));
    assertTrue(bounded == 1 || bounded == budget, "bounded: " + bounded);
    assertEquals(1, KvRoundTrips.count(store,
        () -> ns.increment("c", 1, CounterOptions.atMost(0))), "refused");
  }

  @Test
  void listenersAndStatsSeeIncrements() {
    BlockingKvNamespace<Long> ns = counters(uniqueName("count-stats")).blocking();
    var before = store.stats();
    ns.increment("c", 1);
    ns.increment("c", 1, CounterOptions.atMost(0));
    var after = store.stats().minus(before);
    assertEquals(2, after.operations());
    assertEquals(0, after.errors());
    assertEquals("increment", KvOperation.INCREMENT.methodName());
    assertFalse(KvOperation.INCREMENT.isRead());
  }

  @Test
  void badInputFailsBeforeAnythingIsSent() {
    BlockingKvNamespace<Long> ns = counters(uniqueName("count-bad")).blocking();
    sendsNothing("key", () -> ns.increment(null, 1));
    sendsNothing("key", () -> ns.increment("", 1));
    sendsNothing("key", () -> ns.increment(null, 1, CounterOptions.atMost(1)));
    sendsNothing("options", () -> ns.increment("c", 1, null));
    assertValidation("min", () -> CounterOptions.between(2, 1));
    // Codecs that cannot hold a counter's decimal text: refused, naming the codec.
    List<KvCodec<?>> refused = List.of(KvCodec.utf8(), KvCodec.json(String.class),
        KvCodec.json(Integer.class), KvCodec.bytes());
    for (KvCodec<?> codec : refused) {
      KvValidationException e = sendsNothing("codec", () -> store.namespace(configure(
          NamespaceOptions.builder(uniqueName("count-codec"), codec)).build()).increment("c", 1));
      assertTrue(e.getMessage().contains("decimal text"), e.getMessage());
    }
    assertEquals(Optional.empty(), ns.get("c"));
  }

  private KvValidationException sendsNothing(String argument, Executable call) {
    KvValidationException[] e = {null};
    assertEquals(0, KvRoundTrips.count(store, () -> e[0] = assertValidation(argument, call)));
    return e[0];
  }

  @Test
  void asyncVerbsCompleteWithTheOutcome() {
    KvNamespace<Long> ns = counters(uniqueName("count"));
    assertEquals(2L, ns.increment("c", 2).join());
    assertEquals(new KvCount(2, false), ns.increment("c", 1, CounterOptions.atMost(2)).join());
    assertEquals(List.of(new KvKey("c", Optional.empty())),
        ns.blocking().list(ListOptions.all()).keys());
  }
}
