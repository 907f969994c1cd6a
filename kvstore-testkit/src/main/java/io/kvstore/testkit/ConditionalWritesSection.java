package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.KvCodec;
import io.kvstore.KvConflictException;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvSwap;
import io.kvstore.KvValidationException;
import io.kvstore.KvVersion;
import io.kvstore.KvVersioned;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.UpdateOptions;
import io.kvstore.testkit.KvStoreContract.Sample;
import io.kvstore.testkit.internal.Fixtures;
import io.kvstore.testkit.internal.linearizability.RegisterWorkload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code KvStoreContract.ConditionalWrites}, run there as a {@code @Nested} section
 * on the contract's fixture: {@code getVersioned}, {@code replace}, {@code deleteIf} and
 * {@code update}, every outcome, TTLs, near caches (this instance and a peer), bad input, no
 * update lost under contention, and a concurrent history that must be linearizable.
 */
abstract class ConditionalWritesSection extends ContractSection {
  private static final Duration SHORT_TTL = Duration.ofMillis(400);

  /** A namespace of decimal counters stored as UTF-8 text: easy to check byte for byte. */
  private KvNamespace<String> counters(KvStore on, String name) {
    return on.namespace(configure(NamespaceOptions.builder(name, KvCodec.utf8())).build());
  }

  private static Function<Optional<String>, Optional<String>> increment() {
    return current -> Optional.of(Long.toString(current.map(Long::parseLong).orElse(0L) + 1));
  }

  private Set<String> listed(BlockingKvNamespace<?> ns) {
    Set<String> keys = new HashSet<>();
    ns.list(ListOptions.all()).keys().forEach(k -> keys.add(k.key()));
    return keys;
  }

  @Test
  void getVersionedGivesTheValueAndTheDigestOfItsBytes() {
    BlockingKvNamespace<String> ns = counters(store, uniqueName("cas")).blocking();
    assertEquals(Optional.empty(), ns.getVersioned("k"));
    ns.put("k", "abc");
    KvVersioned<String> read = ns.getVersioned("k").orElseThrow();
    assertEquals("abc", read.value());
    // SHA-1 of the UTF-8 bytes "abc", as redis.sha1hex gives it.
    assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", read.version().hex());
    assertEquals(read.version(), KvVersion.of(read.version().toString()));
    assertEquals(read.version(), ns.getVersioned("k").orElseThrow().version());
    ns.put("k", "abd");
    assertNotEquals(read.version(), ns.getVersioned("k").orElseThrow().version());
  }

  @Test
  void replaceAppliesOnlyAtTheVersionRead() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    ns.put("k", Sample.of("a", 1, 1));
    KvVersion first = ns.getVersioned("k").orElseThrow().version();
    assertEquals(KvSwap.APPLIED, ns.replace("k", first, Sample.of("a", 1, 2)));
    assertEquals(Optional.of(Sample.of("a", 1, 2)), ns.get("k"));
    assertEquals(KvSwap.CHANGED, ns.replace("k", first, Sample.of("a", 1, 3)));
    assertEquals(Optional.of(Sample.of("a", 1, 2)), ns.get("k"));
    KvVersion second = ns.getVersioned("k").orElseThrow().version();
    assertTrue(ns.delete("k"));
    assertEquals(KvSwap.MISSING, ns.replace("k", second, Sample.of("a", 1, 4)));
    assertEquals(Optional.empty(), ns.get("k"));
    assertEquals(Set.of(), listed(ns));
  }

  @Test
  void deleteIfDeletesOnlyAtTheVersionRead() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    ns.put("k", Sample.of("a", 1, 1));
    ns.put("other", Sample.of("a", 1, 1));
    KvVersion first = ns.getVersioned("k").orElseThrow().version();
    ns.put("k", Sample.of("a", 1, 2));
    assertEquals(KvSwap.CHANGED, ns.deleteIf("k", first));
    assertEquals(Optional.of(Sample.of("a", 1, 2)), ns.get("k"));
    KvVersion second = ns.getVersioned("k").orElseThrow().version();
    assertEquals(KvSwap.APPLIED, ns.deleteIf("k", second));
    assertEquals(Optional.empty(), ns.get("k"));
    assertEquals(KvSwap.MISSING, ns.deleteIf("k", second));
    assertEquals(Set.of("other"), listed(ns));
  }

  @Test
  void updateCreatesChangesAndDeletes() {
    BlockingKvNamespace<String> ns = counters(store, uniqueName("cas")).blocking();
    assertEquals(Optional.of("1"), ns.update("n", increment()));
    assertEquals(Optional.of("2"), ns.update("n", increment()));
    assertEquals(Optional.of("2"), ns.get("n"));
    assertEquals(Set.of("n"), listed(ns));
    assertEquals(Optional.empty(), ns.update("n", current -> Optional.empty()));
    assertEquals(Optional.empty(), ns.get("n"));
    assertEquals(Set.of(), listed(ns));
    // Empty for an absent key leaves it absent, and writes nothing.
    assertEquals(Optional.empty(), ns.update("n", current -> Optional.empty()));
    assertEquals(Optional.empty(), ns.get("n"));
  }

  @Test
  void updateReturningTheSameInstanceWritesNothing() {
    KvNamespace<String> ns = counters(store, uniqueName("cas"));
    ns.blocking().put("n", "7");
    long roundTrips = KvRoundTrips.count(store,
        () -> assertEquals(Optional.of("7"), ns.blocking().update("n", current -> current)));
    assertEquals(1, roundTrips, "an unchanged update only reads");
    long sameValue = KvRoundTrips.count(store, () -> ns.blocking().update("n",
        current -> Optional.of(current.orElseThrow())));
    assertEquals(1, sameValue, "the very value given back is unchanged too");
  }

  @Test
  void updateRetriesWhenAnotherWriterGotInBetween() {
    BlockingKvNamespace<String> ns = counters(store, uniqueName("cas")).blocking();
    ns.put("n", "10");
    AtomicInteger calls = new AtomicInteger();
    Optional<String> after = ns.update("n", current -> {
      if (calls.incrementAndGet() == 1) {
        ns.put("n", "100");   // another writer, between this attempt's read and its write
      }
      return increment().apply(current);
    });
    assertEquals(Optional.of("101"), after);
    assertEquals(Optional.of("101"), ns.get("n"));
    assertEquals(2, calls.get());
  }

  @Test
  void updateGivesUpAfterMaxAttemptsAndWritesNothing() {
    BlockingKvNamespace<String> ns = counters(store, uniqueName("cas")).blocking();
    ns.put("n", "0");
    AtomicInteger calls = new AtomicInteger();
    UpdateOptions options = UpdateOptions.builder().maxAttempts(3)
        .backoff(Duration.ZERO, Duration.ZERO).build();
    KvConflictException e = assertThrows(KvConflictException.class, () -> ns.update("n",
        current -> {
          ns.put("n", "other-" + calls.incrementAndGet());
          return Optional.of("mine");
        }, options));
    assertEquals("n", e.key());
    assertEquals(3, e.attempts());
    assertEquals(3, calls.get());
    assertTrue(e.getMessage().contains("3 attempts"), e.getMessage());
    assertEquals(Optional.of("other-3"), ns.get("n"));
  }

  @Test
  void badInputChangesNothing() {
    KvNamespace<String> async = store.namespace(configure(NamespaceOptions
        .builder(uniqueName("cas"), KvCodec.utf8())).maxValueBytes(16).build());
    BlockingKvNamespace<String> ns = async.blocking();
    ns.put("n", "1");
    KvVersion version = ns.getVersioned("n").orElseThrow().version();
    assertValidation("fn", () -> ns.update("n", null));
    assertValidation("options", () -> ns.update("n", increment(), null));
    assertValidation("expected", () -> ns.replace("n", null, "2"));
    assertValidation("expected", () -> ns.deleteIf("n", null));
    assertValidation("value", () -> ns.replace("n", version, null));
    assertValidation("value", () -> ns.replace("n", version, "x".repeat(17)));
    assertValidation("key", () -> ns.update("", increment()));
    assertValidation("version", () -> KvVersion.of("ABC"));
    IllegalStateException thrown = new IllegalStateException("the function failed");
    assertSame(thrown, assertThrows(IllegalStateException.class,
        () -> ns.update("n", current -> {
          throw thrown;
        })));
    assertThrows(KvValidationException.class,
        () -> ns.update("n", current -> Optional.of("x".repeat(17))));
    assertThrows(KvValidationException.class, () -> ns.update("n", current -> null));
    assertEquals(Optional.of("1"), ns.get("n"));
    assertEquals(version, ns.getVersioned("n").orElseThrow().version());
    assertThrows(IllegalStateException.class, () -> ns.update("absent", current -> {
      throw thrown;
    }));
    assertEquals(Optional.empty(), ns.get("absent"));
  }

  @Test
  void conditionalWritesApplyTheNamespaceTtlAsAPut() {
    BlockingKvNamespace<String> ns = store.namespace(configure(NamespaceOptions
        .builder(uniqueName("cas-ttl"), KvCodec.utf8())).ttl(TtlPolicy.fixed(SHORT_TTL))
        .build()).blocking();
    ns.put("replaced", "1", PutOptions.ttl(Duration.ofDays(1)));
    ns.put("kept", "1", PutOptions.ttl(Duration.ofDays(1)));
    assertEquals(KvSwap.APPLIED, ns.replace("replaced",
        ns.getVersioned("replaced").orElseThrow().version(), "2"));
    assertEquals(Optional.of("1"), ns.update("created", increment()));
    assertEquals(Optional.of("1"), ns.update("kept", current -> current));
    Fixtures.advance(fixture, SHORT_TTL.plusMillis(200));
    assertEquals(Optional.empty(), ns.get("replaced"));
    assertEquals(Optional.empty(), ns.get("created"));
    assertEquals(Optional.of("1"), ns.get("kept"), "an unchanged update keeps the TTL");
  }

  @Test
  void successfulConditionalWritesInvalidateNearCachesHereAndOnPeers() {
    String name = uniqueName("cas-near");
    KvStore peerStore = Fixtures.openPeer(fixture, store);
    try {
      BlockingKvNamespace<String> ns = counters(store, name).blocking();
      BlockingKvNamespace<String> peer = counters(peerStore, name).blocking();
      ns.put("n", "1");
      assertEquals(Optional.of("1"), ns.get("n"));
      assertEquals(Optional.of("1"), peer.get("n"));
      assertEquals(KvSwap.APPLIED, ns.replace("n", ns.getVersioned("n").orElseThrow().version(),
          "2"));
      assertEquals(Optional.of("2"), ns.get("n"), "read-your-writes after replace");
      Awaits.until("the peer's near cache drops the replaced key",
          () -> peer.get("n").equals(Optional.of("2")));
      // The peer updates from the store's value, never from a stale copy it may hold.
      assertEquals(Optional.of("3"), peer.update("n", increment()));
      assertEquals(Optional.of("3"), peer.get("n"));
      Awaits.until("this near cache drops the updated key",
          () -> ns.get("n").equals(Optional.of("3")));
      assertEquals(KvSwap.APPLIED, ns.deleteIf("n", ns.getVersioned("n").orElseThrow()
          .version()));
      assertEquals(Optional.empty(), ns.get("n"));
      Awaits.until("the peer's near cache drops the deleted key",
          () -> peer.get("n").isEmpty());
    } finally {
      if (peerStore != store) {
        peerStore.close();
      }
    }
  }

  /** A small form of issue 30's property, on every store: the full 8 x 500 is in kvstore-tests. */
  @Test
  void concurrentUpdatesAreNeverLost() throws Exception {
    KvNamespace<String> ns = counters(store, uniqueName("cas-race"));
    UpdateOptions options = UpdateOptions.builder().maxAttempts(1000)
        .backoff(Duration.ZERO, Duration.ofMillis(5)).build();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(threads.submit(() -> {
          for (int i = 0; i < 50; i++) {
            ns.blocking().update("n", increment(), options);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(Optional.of("200"), ns.blocking().get("n"));
  }

  /**
   * One recorded history of 4 threads x 40 random steps (get, put, putIfAbsent, delete, and
   * getVersioned then replace or deleteIf) on 2 keys, checked by {@link KvHistoryRecorder}.
   */
  @Test
  void concurrentConditionalWritesAreLinearizable() throws Exception {
    RegisterWorkload.Result result = RegisterWorkload.run(counters(store, uniqueName("cas-lin")),
        new RegisterWorkload.Settings(4, 40, 2, 30), new RegisterWorkload.Hooks() {});
    assertTrue(result.report().linearizable(), result.report()::toString);
    assertEquals(0, result.failures());
  }

  @Test
  void asyncVerbsCompleteWithTheOutcome() {
    KvNamespace<String> ns = counters(store, uniqueName("cas"));
    ns.put("n", "1").join();
    KvVersion version = ns.getVersioned("n").join().orElseThrow().version();
    assertEquals(KvSwap.APPLIED, ns.replace("n", version, "2").join());
    assertEquals(KvSwap.CHANGED, ns.deleteIf("n", version).join());
    assertEquals(Optional.of("3"), ns.update("n", increment()).join());
    assertFalse(ns.get("n").join().isEmpty());
  }
}
