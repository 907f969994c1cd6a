package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.NamespaceOptions;
import io.kvstore.SimulatedEdge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Coalesced gets of one key on {@link KvCodec#bytes()}: every caller gets an array of its own,
 * so one caller changing its bytes never changes another's.
 */
class CoalescedBytesTest {
  @Test
  void coalescedGetsOfOneKeyHandEveryCallerItsOwnArray() {
    try (KvStore store = KvStores.inMemory(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(Duration.ofMillis(20))).build())) {
      KvNamespace<byte[]> ns = store.namespace(NamespaceOptions.builder("bytes", KvCodec.bytes())
          .coalesceGets(true).build());
      byte[] stored = {1, 2, 3};
      ns.blocking().put("k", stored);
      List<CompletableFuture<Optional<byte[]>>> gets = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        gets.add(ns.get("k"));
      }
      Set<byte[]> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
      for (CompletableFuture<Optional<byte[]>> get : gets) {
        byte[] got = get.join().orElseThrow();
        assertArrayEquals(stored, got);
        distinct.add(got);
      }
      assertEquals(50, distinct.size(), "callers sharing one array");
    }
  }
}
