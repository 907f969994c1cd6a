package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.KvKey;
import io.kvstore.KvNamespace;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.testkit.KvStoreContract.Sample;
import io.kvstore.testkit.internal.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code KvStoreContract.Expiry}, run there as a {@code @Nested} section on
 * the contract's fixture: TTL policies, per-call TTLs, jitter.
 */
abstract class ExpirySection extends ContractSection {
  /** The TTL the expiry tests write with: long enough for a write and a read on a server. */
  private static final Duration SHORT_TTL = Duration.ofMillis(400);

  private static Duration shortTtl() {
    return SHORT_TTL;
  }

  private void advanceTime(Duration duration) {
    Fixtures.advance(fixture, duration);
  }

  private Instant storeNow() {
    return Fixtures.now(fixture);
  }

  @Test
  void fixedTtlExpiresKeys() {
    KvNamespace<Sample> ns = store.namespace(configure(NamespaceOptions
        .builder(uniqueName("ttl"), Sample.class)).ttl(TtlPolicy.fixed(shortTtl())).build());
    ns.blocking().put("k", Sample.of("a", 1, 1));
    assertTrue(ns.blocking().get("k").isPresent());
    advanceTime(shortTtl().plusMillis(200));
    assertEquals(Optional.empty(), ns.blocking().get("k"));
    assertEquals(Map.of(), ns.blocking().getAll(List.of("k")));
    assertEquals(List.of(), ns.blocking().list(ListOptions.all()).keys());
    assertFalse(ns.blocking().delete("k"));
  }

  @Test
  void noTtlKeepsKeysAndListsNoExpiration() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    ns.put("k", Sample.of("a", 1, 1));
    advanceTime(shortTtl().plusMillis(200));
    assertTrue(ns.get("k").isPresent());
    assertEquals(List.of(new KvKey("k", Optional.empty())), ns.list(ListOptions.all()).keys());
  }

  @Test
  void putOptionsOverrideTheNamespacePolicy() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    ns.put("short", Sample.of("a", 1, 1), PutOptions.ttl(shortTtl()));
    ns.put("long", Sample.of("a", 1, 1), PutOptions.ttl(TtlPolicy.fixed(Duration.ofDays(1))));
    KvKey listed = ns.list(ListOptions.prefix("long")).keys().get(0);
    Instant expiry = listed.expiration().orElseThrow();
    Instant lowerBound = storeNow().plus(Duration.ofDays(1)).minus(Duration.ofMinutes(1));
    assertTrue(expiry.isAfter(lowerBound), () -> expiry + " is before " + lowerBound);
    advanceTime(shortTtl().plusMillis(200));
    assertEquals(Set.of("long"), ns.getAll(List.of("short", "long")).keySet());
  }

  @Test
  void keepTtlKeepsTheExistingExpiry() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    ns.put("k", Sample.of("a", 1, 1), PutOptions.ttl(shortTtl()));
    ns.put("k", Sample.of("b", 1, 1), PutOptions.keepTtl());
    assertEquals("b", ns.get("k").orElseThrow().user());
    advanceTime(shortTtl().plusMillis(200));
    assertEquals(Optional.empty(), ns.get("k"));
  }

  @Test
  void slidingTtlIsExtendedByReads() {
    Duration ttl = shortTtl().multipliedBy(2);
    KvNamespace<Sample> ns = store.namespace(configure(NamespaceOptions
        .builder(uniqueName("sliding"), Sample.class).ttl(TtlPolicy.sliding(ttl))).build());
    ns.blocking().put("read", Sample.of("a", 1, 1));
    ns.blocking().put("unread", Sample.of("a", 1, 1));
    for (int i = 0; i < 4; i++) {
      advanceTime(ttl.dividedBy(2));
      assertTrue(ns.blocking().get("read").isPresent(), "read " + i);
    }
    assertEquals(Set.of("read"), ns.blocking().getAll(List.of("read", "unread")).keySet());
  }

  @Test
  void absoluteExpiryIsHonouredAndAPastInstantIsRejected() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    Instant at = storeNow().plus(Duration.ofHours(1));
    ns.put("k", Sample.of("a", 1, 1), PutOptions.ttl(TtlPolicy.at(at)));
    Instant listed = ns.list(ListOptions.all()).keys().get(0).expiration().orElseThrow();
    assertTrue(Math.abs(listed.toEpochMilli() - at.toEpochMilli()) < 1000, listed + " vs " + at);
    assertValidation("ttl", () -> ns.put("k", Sample.of("a", 1, 1),
        PutOptions.ttl(TtlPolicy.at(storeNow().minusSeconds(1)))));
  }

  @Test
  void jitterShortensTtlsWithinTheBound() {
    Duration ttl = Duration.ofHours(10);
    KvNamespace<Sample> ns = store.namespace(configure(NamespaceOptions.builder(
        uniqueName("jitter"),
        Sample.class)).ttl(TtlPolicy.fixed(ttl).withJitter(0.5)).build());
    ns.blocking().putAll(workoutsOf("j", 40));
    Instant before = storeNow();
    Set<Long> expiries = new HashSet<>();
    for (KvKey k : ns.blocking().list(ListOptions.all()).keys()) {
      Instant e = k.expiration().orElseThrow();
      assertFalse(e.isAfter(before.plus(ttl).plusSeconds(5)), e::toString);
      assertTrue(e.isAfter(before.plus(ttl.dividedBy(2)).minusSeconds(5)), e::toString);
      expiries.add(e.toEpochMilli() / 1000);
    }
    assertTrue(expiries.size() > 10, "jitter spreads expiries: " + expiries.size());
  }
}
