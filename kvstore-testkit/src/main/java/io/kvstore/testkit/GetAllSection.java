package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.KvResult;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.KvStoreContract.Sample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code KvStoreContract.GetAll}, run there as a {@code @Nested} section on
 * the contract's fixture: {@code getAll} and {@code getAllResults}.
 */
abstract class GetAllSection extends ContractSection {
  @Test
  void getAllKeepsInputOrderAndLeavesOutMissingKeys() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    Map<String, Sample> data = workoutsOf("user-2", 10);
    ns.putAll(data);
    List<String> asked = new ArrayList<>(data.keySet());
    Collections.reverse(asked);
    asked.add(3, "user-2:missing");
    Map<String, Sample> got = ns.getAll(asked);
    List<String> expectedOrder = new ArrayList<>(asked);
    expectedOrder.remove("user-2:missing");
    assertEquals(expectedOrder, new ArrayList<>(got.keySet()));
    expectedOrder.forEach(k -> assertEquals(data.get(k), got.get(k)));
    assertThrows(UnsupportedOperationException.class, () -> got.put("x", null));
  }

  @Test
  void getAllReadsDuplicatesOnceAndAcceptsAnEmptyCollection() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    ns.put("a", Sample.of("a", 1, 1));
    assertEquals(List.of("a"), new ArrayList<>(ns.getAll(List.of("a", "a", "a")).keySet()));
    assertEquals(Map.of(), ns.getAll(List.of()));
  }

  @Test
  void getAllResultsReportsEachKeyAndIsolatesUndecodableValues() {
    KvNamespace<Sample> ns = workouts();
    BlockingKvNamespace<byte[]> raw = store.namespace(
        configure(NamespaceOptions.builder(ns.name(), KvCodec.bytes())).build()).blocking();
    ns.blocking().put("good", Sample.of("u", 1, 1));
    raw.put("garbage", new byte[] {(byte) 0xc3, 0x28, '{'});
    raw.put("wrong-shape", "{\"user\": [1, 2]}".getBytes(StandardCharsets.UTF_8));

    Map<String, KvResult<Sample>> results =
        ns.blocking().getAllResults(List.of("good", "garbage", "missing", "wrong-shape"));

    assertEquals(List.of("good", "garbage", "missing", "wrong-shape"),
        new ArrayList<>(results.keySet()));
    assertInstanceOf(KvResult.Found.class, results.get("good"));
    assertInstanceOf(KvResult.Missing.class, results.get("missing"));
    KvResult<Sample> garbage = results.get("garbage");
    assertInstanceOf(KvResult.Failed.class, garbage);
    KvException garbageError = ((KvResult.Failed<Sample>) garbage).error();
    assertEquals("garbage", ((KvCodecException) garbageError).key());
    assertInstanceOf(KvResult.Failed.class, results.get("wrong-shape"));

    // getAll leaves the failures out; get names the key in the exception.
    assertEquals(Set.of("good"), ns.blocking().getAll(results.keySet()).keySet());
    KvCodecException e = assertThrows(KvCodecException.class,
        () -> ns.blocking().get("garbage"));
    assertEquals("garbage", e.key());
  }

  /**
   * Whatever a namespace accepts it reads back, so no value can be written that no read
   * returns. A JSON string just under the default 25 MiB value limit (longer than Jackson's
   * default 20,000,000-character read limit) comes back from {@code get}, {@code getAll} and
   * {@code getAllResults}; on a store the fixture opens for large values
   * ({@link StoreFixture#openForLargeValues()}).
   */
  @Test
  void aJsonValueJustUnderTheSizeLimitIsReadBack() {
    try (KvStore large = fixture().openForLargeValues()) {
      readsBackAValueJustUnderTheLimit(large.namespace(configure(
          NamespaceOptions.builder(uniqueName("big"), String.class)).build()));
    }
  }

  private void readsBackAValueJustUnderTheLimit(KvNamespace<String> ns) {
    // Encoded as a JSON string: the characters plus two quotes, exactly the limit.
    String big = "x".repeat(NamespaceOptions.DEFAULT_MAX_VALUE_BYTES - 2);
    ns.blocking().put("big", big);
    assertValidation("value", () -> ns.put("too-big", big + "x"));

    assertEquals(big.length(), ns.blocking().get("big").orElseThrow().length());
    Map<String, String> all = ns.blocking().getAll(List.of("big"));
    assertEquals(Set.of("big"), all.keySet(), "getAll left the value out");
    assertEquals(big, all.get("big"));
    assertInstanceOf(KvResult.Found.class,
        ns.blocking().getAllResults(List.of("big")).get("big"));
  }
}
