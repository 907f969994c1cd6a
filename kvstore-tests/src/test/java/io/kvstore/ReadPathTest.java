package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lean read path keeps the semantics of the one it replaced: keys without repeats in
 * first-seen order (including keys whose hash codes collide), every key validated before
 * anything is sent, with the message naming the key's position.
 */
class ReadPathTest {
  private final KvStore store = KvStores.inMemory();
  private final KvNamespace<String> ns = store.namespace(
      NamespaceOptions.builder("text", KvCodec.utf8()).build());

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void repeatedAndCollidingKeysAreReadOnceInFirstSeenOrder() {
    // "Aa" and "BB" share a hash code, as do "AaAa", "AaBB", "BBAa" and "BBBB".
    List<String> keys = List.of("BB", "Aa", "AaAa", "BBBB", "AaBB", "BBAa", "x");
    Map<String, String> data = new LinkedHashMap<>();
    keys.forEach(k -> data.put(k, "v-" + k));
    ns.blocking().putAll(data);
    List<String> asked = new ArrayList<>(keys);
    asked.add("Aa");
    asked.add("missing");
    asked.add("BB");
    Map<String, String> read = ns.blocking().getAll(asked);
    assertEquals(data, read);
    assertEquals(keys, List.copyOf(read.keySet()));
    Map<String, KvResult<String>> results = ns.blocking().getAllResults(asked);
    List<String> expectedOrder = new ArrayList<>(keys);
    expectedOrder.add("missing");
    assertEquals(expectedOrder, List.copyOf(results.keySet()));
    assertEquals(new KvResult.Missing<String>(), results.get("missing"));
    assertEquals(0, KvRoundTrips.count(store, () -> assertThrows(KvValidationException.class,
        () -> ns.getAll(List.of("ok", "also ok", "bad\n")))));
  }

  @Test
  void aKeyThatIsNotPlainAsciiIsCheckedByTheFullRules() {
    ns.blocking().put("café", "v");
    assertEquals(Map.of("café", "v"), ns.blocking().getAll(List.of("café")));
    KvValidationException tooLong = assertThrows(KvValidationException.class,
        () -> ns.getAll(List.of("a", "é".repeat(257))));
    assertTrue(tooLong.getMessage().contains("keys[1] is 514 bytes"), tooLong.getMessage());
    KvValidationException control = assertThrows(KvValidationException.class,
        () -> ns.get("tab\there"));
    assertTrue(control.getMessage().startsWith("get on namespace 'text': key contains control"),
        control.getMessage());
    assertThrows(KvValidationException.class, () -> ns.getAll(List.of("")));
    assertThrows(KvValidationException.class, () -> ns.getAll(List.of("a".repeat(513))));
    assertEquals(Map.of(), ns.blocking().getAll(List.of("a".repeat(512))));
  }
}
