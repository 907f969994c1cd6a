package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The near cache's bound in bytes through a namespace: values within it are all served locally,
 * and the option has its default and its check. Eviction under the bound is tested on the cache
 * itself ({@code NearCacheWeightTest}), where it has run by the time a read returns; through the
 * embedded store the last load of a batch may still be settling on a completion thread.
 */
class NearCacheByteBoundTest {
  private final List<KvEvent> events = new CopyOnWriteArrayList<>();
  private KvStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private KvNamespace<byte[]> open(NearCacheOptions nearCache) {
    store = KvStores.inMemory(InMemoryOptions.builder()
        .observability(ObservabilityOptions.builder().listener(KvListener.of(events::add))
            .build()).build());
    return store.namespace(NamespaceOptions.builder("blob", KvCodec.bytes())
        .nearCache(nearCache).build());
  }

  private static Map<String, byte[]> values(int count, int size) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      byte[] value = new byte[size];
      Arrays.fill(value, (byte) i);
      values.put("k" + i, value);
    }
    return values;
  }

  /** How many of the keys the near cache answers now. */
  private int cachedOf(KvNamespace<byte[]> ns, Map<String, byte[]> expected) {
    Map<String, byte[]> read = ns.blocking().getAll(expected.keySet());
    expected.forEach((key, value) -> assertArrayEquals(value, read.get(key), key));
    return events.get(events.size() - 1).nearCacheHits();
  }

  @Test
  void valuesWithinTheByteBoundAreAllCached() {
    KvNamespace<byte[]> ns = open(NearCacheOptions.builder().maximumBytes(100_000).build());
    Map<String, byte[]> data = values(4, 20_000);
    ns.blocking().putAll(data);
    assertEquals(0, cachedOf(ns, data));
    assertEquals(4, cachedOf(ns, data));
  }

  @Test
  void theByteBoundHasADefaultAndIsValidated() {
    assertEquals(NearCacheOptions.DEFAULT_MAXIMUM_BYTES, NearCacheOptions.builder().build()
        .maximumBytes());
    assertEquals(64L * 1024 * 1024, NearCacheOptions.DEFAULT_MAXIMUM_BYTES);
    assertEquals(4096, NearCacheOptions.builder().maximumBytes(4096).build().toBuilder().build()
        .maximumBytes());
    KvValidationException e = assertThrows(KvValidationException.class,
        () -> NearCacheOptions.builder().maximumBytes(0));
    assertEquals("maximumBytes", e.argument());
  }
}
