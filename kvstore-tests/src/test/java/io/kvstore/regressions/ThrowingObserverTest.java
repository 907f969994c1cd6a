package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvTracer;
import io.kvstore.NamespaceOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.contract.SharedRedis;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An observer that throws an {@link Error} (an {@code assert} in a test listener, say) is the
 * observer's failure, not the operation's: every future still completes, with its own outcome.
 */
@ExtendWith(SharedRedis.class)
class ThrowingObserverTest {
  /** Long enough for a loaded machine; a hung future never completes at all. */
  private static final long WAIT_SECONDS = 30;

  static Stream<Named<Function<ObservabilityOptions, KvStore>>> stores() {
    return Stream.of(
        Named.of("embedded", o -> KvStores.inMemory(
            InMemoryOptions.builder().observability(o).build())),
        Named.of("Redis", o -> {
          SharedRedis.server().flushAll();
          return RedisKvStore.connect(SharedRedis.server().uri(),
              RedisKvOptions.builder().observability(o).build());
        }));
  }

  private static final KvListener THROWS_ERROR = KvListener.of(event -> {
    throw new AssertionError("a listener's assert failed");
  });

  private static final KvTracer SPAN_END_THROWS_ERROR = start -> end -> {
    throw new AssertionError("a tracer's span end failed");
  };

  @ParameterizedTest
  @MethodSource("stores")
  void aListenerThatThrowsAnErrorLeavesNoFutureUncompleted(
      Function<ObservabilityOptions, KvStore> open) throws Exception {
    try (KvStore store = open.apply(ObservabilityOptions.builder().listener(THROWS_ERROR).build())) {
      everyVerbCompletes(store);
    }
  }

  @ParameterizedTest
  @MethodSource("stores")
  void aWatcherThatThrowsAnErrorLeavesNoFutureUncompleted(
      Function<ObservabilityOptions, KvStore> open) throws Exception {
    try (KvStore store = open.apply(ObservabilityOptions.defaults());
        KvStore.Subscription ignored = store.listen(THROWS_ERROR)) {
      everyVerbCompletes(store);
    }
  }

  @ParameterizedTest
  @MethodSource("stores")
  void aTracerThatThrowsAnErrorLeavesNoFutureUncompleted(
      Function<ObservabilityOptions, KvStore> open) throws Exception {
    try (KvStore store = open.apply(
        ObservabilityOptions.builder().tracer(SPAN_END_THROWS_ERROR).build())) {
      everyVerbCompletes(store);
    }
  }

  private static void everyVerbCompletes(KvStore store) throws Exception {
    KvNamespace<String> ns = store.namespace(
        NamespaceOptions.builder("observed", String.class).build());
    await(ns.put("a", "1"));
    assertEquals(Optional.of("1"), await(ns.get("a")));
    assertEquals(Map.of("a", "1"), await(ns.getAll(List.of("a", "b"))));
    await(store.ping());
    CompletableFuture<Optional<String>> blocking =
        CompletableFuture.supplyAsync(() -> ns.blocking().get("a"));
    assertEquals(Optional.of("1"), await(blocking));
    assertTrue(await(ns.delete("a")));
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
