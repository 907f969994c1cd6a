package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Compressed namespaces hold counters: kvstore asks a namespace's codec whether it reads and
 * writes a long's decimal text byte for byte, and a compressing codec around the JSON codec of
 * {@code Long} does at any threshold, since a counter (at most 20 bytes) never compresses below
 * itself plus the 7-byte header and is stored plain. Codecs that do not qualify are refused in
 * the contract ({@code KvStoreContract.Counters}).
 */
class CounterCodecsTest {
  private final KvStore store = KvStores.inMemory();

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void compressingCodecsStoreCountersPlainAndHoldThem() {
    Compression[] settings = {Compression.zstd(), Compression.lz4(),
        Compression.zstd().withThresholdBytes(0), Compression.lz4().withThresholdBytes(0)};
    for (int i = 0; i < settings.length; i++) {
      String name = "compressed-" + i;
      BlockingKvNamespace<Long> ns = store.namespace(NamespaceOptions.builder(name,
          KvCodec.compressed(KvCodec.json(Long.class), settings[i])).build()).blocking();
      assertEquals(Long.MIN_VALUE + 3, ns.increment("c", Long.MIN_VALUE + 3));
      assertEquals(Optional.of(Long.MIN_VALUE + 3), ns.get("c"));
      BlockingKvNamespace<String> text = store.namespace(
          NamespaceOptions.builder(name, KvCodec.utf8()).build()).blocking();
      assertEquals(Optional.of(Long.toString(Long.MIN_VALUE + 3)), text.get("c"), "plain");
    }
  }
}
