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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the JSON codec does with numbers it was not written with: lenient reads coerce as Jackson
 * does, strict reads refuse a fraction for an integer, and a number of more than 100,000 digits
 * fails its key instead of costing seconds of CPU per read.
 */
class JsonNumbersTest {
  /** A counter. */
  public record Count(int n) {}

  @Test
  void lenientCoercesStrictRefusesAndHugeNumbersFailTheirKey() {
    try (KvStore store = KvStores.inMemory()) {
      KvNamespace<byte[]> raw = store.namespace(
          NamespaceOptions.builder("numbers", KvCodec.bytes()).build());
      raw.blocking().putAll(Map.of(
          "fraction", bytes("{\"n\":1.9}"),
          "text", bytes("{\"n\":\"12\"}"),
          "huge", bytes("{\"n\":" + "9".repeat(1_000_000) + "}")));
      KvNamespace<Count> lenient = store.namespace(
          NamespaceOptions.builder("numbers", Count.class).build());
      KvNamespace<Count> strict = store.namespace(
          NamespaceOptions.builder("numbers", KvCodec.json(Count.class, JsonOptions.builder().strict(true).build())).build());

      Map<String, KvResult<Count>> read =
          lenient.blocking().getAllResults(List.of("fraction", "text", "huge"));
      assertEquals(new KvResult.Found<>(new Count(1)), read.get("fraction"));
      assertEquals(new KvResult.Found<>(new Count(12)), read.get("text"));
      assertInstanceOf(KvCodecException.class,
          assertInstanceOf(KvResult.Failed.class, read.get("huge")).error());

      assertInstanceOf(KvResult.Failed.class,
          strict.blocking().getAllResults(List.of("fraction")).get("fraction"));
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
