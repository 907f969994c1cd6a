package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.InMemoryOptions;
import io.kvstore.KvEvent;
import io.kvstore.KvListener;
import io.kvstore.KvOperation;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvUnavailableException;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.internal.memory.FailAfterApplyingBackend;
import io.kvstore.testing.JulCapture;
import io.kvstore.testing.Workout;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A near-cache load that fails is reported through kvstore's own events and
 * exceptions, and Caffeine logs nothing about it through java.util.logging.
 */
class NearCacheLoadFailureTest {
  private final JulCapture caffeine = new JulCapture("com.github.benmanes.caffeine");
  private final List<KvEvent> events = new CopyOnWriteArrayList<>();
  private final InMemoryOptions options = InMemoryOptions.builder()
      .observability(ObservabilityOptions.builder().listener(KvListener.of(events::add)).build())
      .build();
  private final FailAfterApplyingBackend backend = new FailAfterApplyingBackend(options);
  private final KvStore store = KvStores.fromBackend(backend, options);

  @AfterEach
  void close() {
    caffeine.close();
    store.close();
  }

  @Test
  void failedNearCacheLoadsLogNothingThroughJul() {
    BlockingKvNamespace<Workout> ns = store.namespace(
        NamespaceOptions.builder("workout", Workout.class)
            .nearCache(NearCacheOptions.builder().build()).build()).blocking();
    ns.put("k", Workout.of("u", 1, 1));
    backend.failReads = true;

    assertThrows(KvUnavailableException.class, () -> ns.get("k"));
    assertThrows(KvUnavailableException.class, () -> ns.getAll(List.of("k", "other")));

    assertEquals(List.of(), caffeine.messages());
    List<KvEvent> reads = events.stream().filter(e -> e.operation() != KvOperation.PUT).toList();
    assertEquals(2, reads.size());
    reads.forEach(e -> assertEquals(Optional.of(KvUnavailableException.class), e.error()));
    backend.failReads = false;
    assertEquals("u", ns.get("k").orElseThrow().user(), "the failure was not cached");
  }
}
