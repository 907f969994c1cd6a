package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.KvCodec;
import io.kvstore.KvResult;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.testkit.KvStoreContract.Sample;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code KvStoreContract.GetAndPut}, run there as a {@code @Nested} section on
 * the contract's fixture: {@code get}, {@code put}, {@code putIfAbsent} and the codecs.
 */
abstract class GetAndPutSection extends ContractSection {
  private static void assertArrayEqualsBytes(byte[] expected, byte[] actual) {
    assertTrue(Arrays.equals(expected, actual),
        () -> Arrays.toString(expected) + " != " + Arrays.toString(actual));
  }

  @Test
  void putThenGetReturnsTheSameRecord() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    Sample w = Sample.of("user-1", 3, 2);
    ns.put(w.key(), w);
    assertEquals(Optional.of(w), ns.get(w.key()));
  }

  @Test
  void getOfAMissingKeyIsEmpty() {
    assertEquals(Optional.empty(), workouts().blocking().get("nobody:w01:d1"));
  }

  @Test
  void putOverwrites() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    ns.put("k", Sample.of("a", 1, 1));
    ns.put("k", Sample.of("b", 2, 2));
    assertEquals("b", ns.get("k").orElseThrow().user());
  }

  @Test
  void putIfAbsentWritesOnlyNewKeys() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    assertTrue(ns.putIfAbsent("k", Sample.of("a", 1, 1), PutOptions.defaults()));
    assertFalse(ns.putIfAbsent("k", Sample.of("b", 1, 1), PutOptions.defaults()));
    ns.put("k", Sample.of("c", 1, 1), PutOptions.defaults().ifAbsent());
    assertEquals("a", ns.get("k").orElseThrow().user());
  }

  @Test
  void stringAndBytesCodecsRoundTrip() {
    BlockingKvNamespace<String> text = store.namespace(
        configure(NamespaceOptions.builder(uniqueName("text"), KvCodec.utf8())).build())
        .blocking();
    text.put("greeting", "grüß dich 👋");
    assertEquals(Optional.of("grüß dich 👋"), text.get("greeting"));

    BlockingKvNamespace<byte[]> raw = store.namespace(
        configure(NamespaceOptions.builder(uniqueName("raw"), KvCodec.bytes())).build())
        .blocking();
    byte[] bytes = {0, 1, (byte) 0xff, 10, 13};
    raw.put("b", bytes);
    assertArrayEqualsBytes(bytes, raw.get("b").orElseThrow());
  }

  /**
   * With or without a near cache, every read hands out an array of its own, so a caller that
   * changes what it read changes nothing another read sees.
   */
  @Test
  void everyReadOfRawBytesGetsItsOwnArray() {
    BlockingKvNamespace<byte[]> raw = store.namespace(
        configure(NamespaceOptions.builder(uniqueName("raw"), KvCodec.bytes())).build())
        .blocking();
    byte[] written = {1, 2, 3};
    raw.put("b", written);
    written[0] = 99;

    byte[] first = raw.get("b").orElseThrow();
    assertArrayEqualsBytes(new byte[] {1, 2, 3}, first);
    first[0] = 42;
    byte[] second = raw.get("b").orElseThrow();
    assertArrayEqualsBytes(new byte[] {1, 2, 3}, second);
    assertFalse(first == second, "two reads returned the same array");

    byte[] batch = raw.getAll(List.of("b")).get("b");
    batch[1] = 42;
    byte[] results = ((KvResult.Found<byte[]>) raw.getAllResults(List.of("b")).get("b")).value();
    results[2] = 42;
    assertArrayEqualsBytes(new byte[] {1, 2, 3}, raw.getAll(List.of("b")).get("b"));
    assertArrayEqualsBytes(new byte[] {1, 2, 3}, raw.get("b").orElseThrow());
  }
}
