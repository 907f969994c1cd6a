package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.testkit.KvStoreContract.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code KvStoreContract.Delete}, run there as a {@code @Nested} section on
 * the contract's fixture: {@code delete} and {@code deleteAll}.
 */
abstract class DeleteSection extends ContractSection {
  @Test
  void deleteTellsWhetherTheKeyExisted() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    ns.put("k", Sample.of("a", 1, 1));
    assertTrue(ns.delete("k"));
    assertFalse(ns.delete("k"));
    assertEquals(Optional.empty(), ns.get("k"));
  }

  @Test
  void deleteAllCountsTheKeysThatExisted() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    ns.putAll(workoutsOf("d", 5));
    List<String> keys = new ArrayList<>(workoutsOf("d", 5).keySet());
    keys.add("d:none");
    keys.add(keys.get(0));
    assertEquals(5, ns.deleteAll(keys));
    assertEquals(Map.of(), ns.getAll(keys));
    assertEquals(0, ns.deleteAll(List.of()));
  }
}
