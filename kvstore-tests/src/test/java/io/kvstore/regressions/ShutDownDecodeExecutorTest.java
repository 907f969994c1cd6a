package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.DecodeOptions;
import io.kvstore.InMemoryOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.NamespaceOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A decode executor the application has shut down, whatever its rejection policy (the JDK's
 * CallerRunsPolicy and DiscardPolicy drop tasks silently once shut down), never leaves a read
 * waiting: the store decodes on the completing thread instead.
 */
class ShutDownDecodeExecutorTest {
  static Stream<RejectedExecutionHandler> policies() {
    return Stream.of(new ThreadPoolExecutor.CallerRunsPolicy(),
        new ThreadPoolExecutor.DiscardPolicy(), new ThreadPoolExecutor.AbortPolicy());
  }

  @ParameterizedTest
  @MethodSource("policies")
  void aLargeReadCompletesAfterTheExecutorWasShutDown(RejectedExecutionHandler policy)
      throws Exception {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), policy);
    executor.shutdown();
    try (KvStore store = KvStores.inMemory(InMemoryOptions.builder()
        .decoding(DecodeOptions.builder().executor(executor).inlineBytes(0).build()).build())) {
      KvNamespace<String> ns = store.namespace(
          NamespaceOptions.builder("decoded", String.class).build());
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < 100; i++) {
        values.put("k" + i, "v" + i);
      }
      ns.blocking().putAll(values);
      assertEquals(values, ns.getAll(values.keySet()).get(30, TimeUnit.SECONDS));
    }
  }
}
