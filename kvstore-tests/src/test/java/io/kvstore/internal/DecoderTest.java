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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where values are decoded: alone on the calling thread, shared with the pool, or on the pool;
 * and that slices which give their core away between values still return every value in order.
 * The yield itself is scheduling, seen only in timings: {@code InterferenceBenchmark} measures
 * it.
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
  void aMidSizeReadIsSharedBetweenTheCallingThreadAndThePool() {
    // 40 KB: over the parallel threshold, within the inline one.
    Set<String> threads = decodeOnTwoThreadsAtOnce(400);
    assertTrue(threads.contains(Thread.currentThread().getName()), threads.toString());
    assertTrue(threads.stream().anyMatch(name -> name.startsWith("kvstore-decode")),
        threads.toString());
  }

  @Test
  void aLargeReadIsDecodedInSlicesOnTwoPoolThreadsAtOnce() {
    Set<String> threads = decodeOnTwoThreadsAtOnce(VALUES);
    assertEquals(2, threads.size(), threads.toString());
    assertTrue(threads.stream().allMatch(name -> name.startsWith("kvstore-decode")), threads
        .toString());
  }

  /**
   * Decodes a read whose values each wait until two threads have decoded one, so it completes
   * only if two threads decode it at once; returns their names.
   */
  private static Set<String> decodeOnTwoThreadsAtOnce(int size) {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch both = new CountDownLatch(2);
    Decoder decoder = new Decoder(DecodeOptions.defaults());
    try {
      List<Object> values = decoder.decode(size, i -> BYTES_EACH, i -> {
        if (threads.add(Thread.currentThread().getName())) {
          both.countDown();
        }
        await(both);
        return "v" + i;
      }).join();
      assertEquals(expected(size), values);
      return threads;
    } finally {
      decoder.close();
    }
  }

  @Test
  void aMidSizeReadNeverWaitsForABusyPool() throws Exception {
    ExecutorService busy = Executors.newSingleThreadExecutor();
    CountDownLatch release = new CountDownLatch(1);
    busy.execute(() -> await(release));
    Decoder decoder = new Decoder(DecodeOptions.builder().executor(busy).build());
    try {
      CompletableFuture<List<Object>> read = decoder.decode(400, i -> BYTES_EACH, i -> "v" + i);
      assertTrue(read.isDone(), "decoded on the calling thread while the pool was busy");
      assertEquals(expected(400), read.join());
    } finally {
      releaseAndStop(release, busy);
    }
  }

  @Test
  void aHelperStuckMidValueNeverHoldsTheReadUp() throws Exception {
    // The pool's thread takes a value and stalls in it (as one descheduled would): the calling
    // thread, having taken the rest, decodes that value again and completes the read.
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch helperIn = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread caller = Thread.currentThread();
    Decoder decoder = new Decoder(DecodeOptions.builder().executor(pool).build());
    try {
      CompletableFuture<List<Object>> read = decoder.decode(400, i -> BYTES_EACH, i -> {
        if (Thread.currentThread() != caller && helperIn.getCount() > 0) {
          helperIn.countDown();
          await(release);
          return "stale " + i;
        }
        await(helperIn);
        return "v" + i;
      });
      assertTrue(read.isDone(), "completed by the calling thread while the helper stalled");
      assertEquals(expected(400), read.join());
    } finally {
      releaseAndStop(release, pool);
    }
  }

  @Test
  void aValueThatThrowsFailsTheSharedRead() {
    Decoder decoder = new Decoder(DecodeOptions.defaults());
    try {
      CompletableFuture<List<Object>> read = decoder.decode(400, i -> BYTES_EACH, i -> {
        if (i == 399) {
          throw new IllegalStateException("codec defect");
        }
        return "v" + i;
      });
      CompletionException e = assertThrows(CompletionException.class, read::join);
      assertEquals("codec defect", e.getCause().getMessage());
    } finally {
      decoder.close();
    }
  }

  @Test
  void parallelBytesDefaultsTo8KibAndRefusesNegative() {
    assertEquals(8 * 1024, DecodeOptions.defaults().parallelBytes());
    assertEquals(5, DecodeOptions.builder().parallelBytes(5).build().toBuilder().build()
        .parallelBytes());
    KvValidationException negative = assertThrows(KvValidationException.class,
        () -> DecodeOptions.builder().parallelBytes(-1));
    assertTrue(negative.getMessage().contains("parallelBytes"), negative.getMessage());
  }

  /** Lets the pool's stalled task finish, then stops the pool. */
  private static void releaseAndStop(CountDownLatch release, ExecutorService pool)
      throws InterruptedException {
    release.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS), "the other decoding thread never came");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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
