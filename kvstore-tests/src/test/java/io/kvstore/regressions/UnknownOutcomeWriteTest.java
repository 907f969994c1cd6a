package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.InMemoryOptions;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvTimeoutException;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.internal.memory.FailAfterApplyingBackend;
import io.kvstore.testing.Workout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The core side of a write whose outcome is unknown (the store applied it, the reply was lost):
 * it must not leave the writer's near cache serving the old value; the re-read that
 * docs/RELIABILITY.md advises must reach the store.
 */
class UnknownOutcomeWriteTest {
  private final FailAfterApplyingBackend backend =
      new FailAfterApplyingBackend(InMemoryOptions.defaults());
  private final KvStore store = KvStores.fromBackend(backend, InMemoryOptions.defaults());
  private final BlockingKvNamespace<Workout> ns = store.namespace(
      NamespaceOptions.builder("workout", Workout.class)
          .nearCache(NearCacheOptions.builder().build()).build()).blocking();

  @AfterEach
  void close() {
    store.close();
  }

  /** Caches {@code v1} under {@code key}: the second read is answered locally. */
  private void cache(String key) {
    ns.put(key, Workout.of("v1", 1, 1));
    assertEquals("v1", ns.get(key).orElseThrow().user());
    assertEquals(0, KvRoundTrips.count(store, () -> ns.get(key)), "cached");
  }

  @Test
  void aPutWithUnknownOutcomeDropsTheWritersCachedValue() {
    cache("k");
    backend.failWrites = true;
    KvTimeoutException e = assertThrows(KvTimeoutException.class,
        () -> ns.put("k", Workout.of("v2", 1, 1)));
    assertTrue(e.outcomeUnknown());
    backend.failWrites = false;
    assertEquals("v2", ns.get("k").orElseThrow().user(), "the re-read must reach the store");
  }

  @Test
  void aPutAllWithUnknownOutcomeDropsTheWritersCachedValues() {
    cache("a");
    cache("b");
    backend.failWrites = true;
    assertThrows(KvTimeoutException.class, () -> ns.putAll(Map.of(
        "a", Workout.of("v2", 1, 1), "b", Workout.of("v2", 1, 1))));
    backend.failWrites = false;
    assertEquals(Map.of("a", Workout.of("v2", 1, 1), "b", Workout.of("v2", 1, 1)),
        ns.getAll(List.of("a", "b")));
  }

  @Test
  void deletesWithUnknownOutcomeDropTheWritersCachedValues() {
    cache("a");
    cache("b");
    cache("c");
    backend.failWrites = true;
    assertThrows(KvTimeoutException.class, () -> ns.delete("a"));
    assertThrows(KvTimeoutException.class, () -> ns.deleteAll(List.of("b", "c")));
    backend.failWrites = false;
    assertEquals(Optional.empty(), ns.get("a"));
    assertEquals(Map.of(), ns.getAll(List.of("b", "c")));
  }
}
