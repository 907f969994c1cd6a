package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kvstore.JsonOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import io.kvstore.KvNamespace;
import io.kvstore.KvResult;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.NamespaceOptions;
import io.kvstore.SchemaOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A migration that throws an {@link Error} (an assert, a stack overflow on a deep value) fails
 * the key whose value it was migrating, never the whole {@code getAll}, with or without read
 * repair.
 */
class OneValueFailsOnlyItsKeyTest {
  /** The current shape. */
  public record Counter(String name, int n) {}

  @ParameterizedTest(name = "read repair {0}")
  @ValueSource(booleans = {false, true})
  void aMigrationThatThrowsAnErrorFailsOnlyItsKey(boolean readRepair) {
    try (KvStore store = KvStores.inMemory()) {
      KvNamespace<byte[]> raw = store.namespace(
          NamespaceOptions.builder("counters", KvCodec.bytes()).build());
      raw.blocking().putAll(Map.of(
          "ok", json("{\"name\":\"ok\",\"n\":1}"),
          "assert", json("{\"name\":\"assert\",\"n\":2}"),
          "deep", json("{\"name\":\"deep\",\"n\":3}")));
      KvNamespace<Counter> counters = store.namespace(
          NamespaceOptions.builder("counters", KvCodec.json(Counter.class, JsonOptions.builder().schema(SchemaOptions.version(2).readRepair(readRepair).migrate(1, v -> {
                if ("assert".equals(v.get("name"))) {
                  throw new AssertionError("a migration's assert");
                }
                if ("deep".equals(v.get("name"))) {
                  throw new StackOverflowError();
                }
                return v;
              }).build()).build()))
              .build());

      Map<String, KvResult<Counter>> results =
          counters.blocking().getAllResults(List.of("ok", "assert", "deep"));
      assertEquals(new KvResult.Found<>(new Counter("ok", 1)), results.get("ok"));
      assertInstanceOf(KvCodecException.class,
          assertInstanceOf(KvResult.Failed.class, results.get("assert")).error());
      assertInstanceOf(KvCodecException.class,
          assertInstanceOf(KvResult.Failed.class, results.get("deep")).error());
      assertEquals(Map.of("ok", new Counter("ok", 1)),
          counters.blocking().getAll(List.of("ok", "assert", "deep")));
    }
  }

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
