package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvNamespace;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.KvStoreContract.Sample;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code KvStoreContract.Isolation}, run there as a {@code @Nested} section on
 * the contract's fixture: namespaces never see each other's keys.
 */
abstract class IsolationSection extends ContractSection {
  @Test
  void namespacesNeverSeeEachOthersKeys() {
    String base = uniqueName("iso");
    KvNamespace<Sample> a = store.namespace(
        configure(NamespaceOptions.builder(base, Sample.class))
        .build());
    KvNamespace<Sample> b = store.namespace(
        configure(NamespaceOptions.builder(base + "2", Sample.class))
        .build());
    KvNamespace<Sample> star = store.namespace(
        configure(NamespaceOptions.builder(base + "*", Sample.class)).build());
    a.blocking().put("k", Sample.of("a", 1, 1));
    b.blocking().put("k", Sample.of("b", 1, 1));
    b.blocking().put("2:k", Sample.of("b", 1, 1));
    assertEquals("a", a.blocking().get("k").orElseThrow().user());
    assertEquals("b", b.blocking().get("k").orElseThrow().user());
    assertEquals(List.of("k"), a.blocking().list(ListOptions.all()).names());
    assertEquals(Set.of("k", "2:k"), new HashSet<>(b.blocking().list(ListOptions.all()).names()));
    assertEquals(List.of(), star.blocking().list(ListOptions.all()).keys());
    assertTrue(a.blocking().delete("k"));
    assertTrue(b.blocking().get("k").isPresent());
  }
}
