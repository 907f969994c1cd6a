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
import java.util.function.Function;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where values are decoded, and that slices which give their core away between values still
 * return every value in order. The yield itself is scheduling, seen only in timings:
 * {@code InterferenceBenchmark} measures it. A small read a blocking caller waits for is shared
 * with it: the tests below hold the completing thread inside a value to show who decodes what,
 * never a timing.
 */
class DecoderTest {
  private static final int VALUES = 2_000;
  private static final int BYTES_EACH = 100; // 200,000 bytes: over the 64 KiB inline threshold
  /** 16 values of 1 KiB: over the share threshold, under the inline one. */
  private static final int SHARED = 16;

  /** Completes the read, as a store's I/O thread does. */
  private final ExecutorService reply = Executors.newSingleThreadExecutor(
      r -> new Thread(r, "store-reply"));
  private final Decoder decoder = new Decoder(DecodeOptions.defaults());
  private final String[] decodedBy = new String[SHARED];

  @AfterEach
  void stop() {
    reply.shutdownNow();
    decoder.close();
  }

  /** A blocking call whose read completes on {@code store-reply}, then decodes there. */
  private CompletableFuture<List<Object>> blockingRead(
      Function<CompletableFuture<List<Object>>, CompletableFuture<List<Object>>> beforeWaiting,
      IntFunction<Object> decodeAt) {
    return WaitingCaller.await(() -> {
      WaitingCaller caller = WaitingCaller.take();
      CompletableFuture<List<Object>> read = CompletableFuture.supplyAsync(() -> null, reply)
          .thenCompose(values -> decoder.decode(SHARED, i -> 1024, i -> {
            decodedBy[i] = Thread.currentThread().getName();
            return decodeAt.apply(i);
          }, caller));
      return beforeWaiting.apply(read);
    });
  }

  private static List<Object> decode(DecodeOptions options, int size, Set<String> threads) {
    Decoder decoder = new Decoder(options);
    try {
      return decoder.decode(size, i -> BYTES_EACH, i -> {
        threads.add(Thread.currentThread().getName());
        return "v" + i;
      }, null).join();
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

  @Test
  void theWaitingCallerDecodesTheHalfItIsOffered() throws Exception {
    CountDownLatch secondHalfBegun = new CountDownLatch(1);
    List<Object> values = blockingRead(read -> read, i -> {
      if (i == 0) {
        // The completing thread holds its half until the caller has begun the other.
        await(secondHalfBegun);
      } else if (i == SHARED / 2) {
        secondHalfBegun.countDown();
      }
      return "v" + i;
    }).join();
    assertEquals(expected(SHARED), values);
    String caller = Thread.currentThread().getName();
    for (int i = 0; i < SHARED; i++) {
      assertEquals(i < SHARED / 2 ? "store-reply" : caller, decodedBy[i], "value " + i);
    }
  }

  @Test
  void aCallerThatDoesNotComeLeavesItsHalfToTheCompletingThread() {
    // The caller is still busy beginning its call when the read completes.
    List<Object> values = blockingRead(read -> {
      read.join();
      return read;
    }, i -> "v" + i).join();
    assertEquals(expected(SHARED), values);
    for (int i = 0; i < SHARED; i++) {
      assertEquals("store-reply", decodedBy[i], "value " + i);
    }
  }

  @Test
  void aFailureInEitherHalfFailsTheRead() {
    CompletableFuture<List<Object>> read = blockingRead(r -> r, i -> {
      if (i == SHARED - 1) {
        throw new IllegalStateException("a codec bug");
      }
      return "v" + i;
    });
    assertTrue(read.isCompletedExceptionally());
    assertEquals(IllegalStateException.class,
        assertThrows(CompletionException.class, read::join).getCause()
            .getClass());
  }

  @Test
  void onlyTheFirstOperationOfABlockingCallHasItsCaller() {
    WaitingCaller.await(() -> {
      assertTrue(WaitingCaller.take() != null);
      assertEquals(null, WaitingCaller.take());
      return CompletableFuture.completedFuture(null);
    });
    assertEquals(null, WaitingCaller.take(), "nothing is left on the thread");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS), "the caller never took its half");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
