package io.kvstore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.DecodeOptions;
import io.kvstore.KvValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Where values are decoded, and that slices which give their core away between values still
 * return every value in order. The yield itself is scheduling, seen only in timings:
 * {@code InterferenceBenchmark} measures it.
 */
class DecoderTest {
  private static final int VALUES = 2_000;
  private static final int BYTES_EACH = 100; // 200,000 bytes: over the 64 KiB inline threshold

  private static List<Object> decode(DecodeOptions options, int size, Set<String> threads) {
    Decoder decoder = new Decoder(options);
    try {
      return decoder.decode(size, i -> BYTES_EACH, i -> {
        threads.add(Thread.currentThread().getName());
        return "v" + i;
      }).join();
    } finally {
      decoder.close();
    }
  }

  private static List<Object> expected(int size) {
    List<Object> values = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      values.add("v" + i);
    }
    return values;
  }

  @Test
  void aLargeReadIsDecodedOnThePoolInOrderWhileGivingWayAfterEveryValue() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<Object> values = decode(DecodeOptions.builder().yieldInterval(Duration.ofNanos(1))
        .build(), VALUES, threads);
    assertEquals(expected(VALUES), values);
    assertTrue(threads.stream().allMatch(name -> name.startsWith("kvstore-decode")), threads
        .toString());
  }

  @Test
  void slicesThatNeverYieldDecodeTheSame() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    assertEquals(expected(VALUES), decode(DecodeOptions.builder().yieldInterval(Duration.ZERO)
        .build(), VALUES, threads));
    assertTrue(threads.stream().allMatch(name -> name.startsWith("kvstore-decode")), threads
        .toString());
  }

  @Test
  void aSmallReadIsDecodedOnTheCallingThread() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    assertEquals(expected(10), decode(DecodeOptions.defaults(), 10, threads));
    assertEquals(Set.of(Thread.currentThread().getName()), threads);
  }

  @Test
  void theYieldIntervalDefaultsTo50MicrosecondsAndRefusesNegativeOrNull() {
    assertEquals(Duration.ofNanos(50_000), DecodeOptions.defaults().yieldInterval());
    assertEquals(Duration.ZERO, DecodeOptions.builder().yieldInterval(Duration.ZERO).build()
        .toBuilder().build().yieldInterval());
    KvValidationException negative = assertThrows(KvValidationException.class,
        () -> DecodeOptions.builder().yieldInterval(Duration.ofNanos(-1)));
    assertTrue(negative.getMessage().contains("yieldInterval"), negative.getMessage());
    assertThrows(KvValidationException.class, () -> DecodeOptions.builder().yieldInterval(null));
  }
}
