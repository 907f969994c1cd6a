package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvNamespace;
import io.kvstore.KvPage;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.testkit.KvStoreContract.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code KvStoreContract.Validation}, run there as a {@code @Nested} section on
 * the contract's fixture: bad keys and arguments are rejected before anything is sent.
 */
abstract class ValidationSection extends ContractSection {
  @Test
  void invalidKeysAreRejectedBeforeAnythingIsSent() {
    KvNamespace<Sample> ns = workouts();
    Sample w = Sample.of("v", 1, 1);
    String longKey = "k".repeat(513);
    String accents = "é".repeat(300);
    List<String> bad = Arrays.asList("", longKey, accents, "a\uD800b", "line\nbreak", "tab\t",
        "nul\u0000", "del\u007f", null);
    long trips = KvRoundTrips.count(store, () -> {
      for (String key : bad) {
        assertValidation("key", () -> ns.get(key));
        assertValidation("key", () -> ns.put(key, w));
        assertValidation("key", () -> ns.delete(key));
        assertValidation("key", () -> ns.getAll(Arrays.asList("fine", key)));
        assertValidation("key", () -> ns.deleteAll(Arrays.asList("fine", key)));
        Map<String, Sample> entries = new LinkedHashMap<>();
        entries.put("fine", w);
        entries.put(key, w);
        assertValidation("key", () -> ns.putAll(entries));
      }
    });
    assertEquals(0, trips, "validation failures must not reach the store");
    assertEquals(Optional.empty(), ns.blocking().get("fine"), "a rejected batch writes nothing");
    KvValidationException e = assertValidation("key", () -> ns.get(accents));
    assertTrue(e.getMessage().contains("600 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("512"), e.getMessage());
    ns.blocking().put("k".repeat(512), w);
    ns.blocking().put("é".repeat(256), w);
    ns.blocking().put("emoji-😀", w);
    assertTrue(ns.blocking().get("emoji-😀").isPresent());
  }

  @Test
  void invalidArgumentsAreRejectedWithTheirName() {
    KvNamespace<Sample> ns = store.namespace(configure(NamespaceOptions
        .builder(uniqueName("args"), Sample.class)).maxValueBytes(200).build());
    Sample w = Sample.of("v", 1, 1);
    long trips = KvRoundTrips.count(store, () -> {
      assertValidation("value", () -> ns.put("k", null));
      assertValidation("value", () -> ns.put("k", new Sample("v".repeat(300), 1, 1,
          Instant.EPOCH, List.of())));
      assertValidation("keys", () -> ns.getAll(null));
      assertValidation("entries", () -> ns.putAll(null));
      assertValidation("options", () -> ns.put("k", w, null));
      assertValidation("options", () -> ns.list(null));
      assertValidation("ttl", () -> PutOptions.ttl(Duration.ZERO));
      assertValidation("ttl", () -> PutOptions.ttl(Duration.ofMillis(-5)));
      assertValidation("ttl", () -> TtlPolicy.fixed(Duration.ofDays(365L * 1000)));
      assertValidation("ttl", () -> TtlPolicy.sliding(null));
      assertValidation("jitter", () -> TtlPolicy.fixed(Duration.ofMinutes(1)).withJitter(1.0));
      assertValidation("limit", () -> ListOptions.all().limit(0));
      assertValidation("limit", () -> ListOptions.all().limit(1001));
      assertValidation("prefix", () -> ns.list(ListOptions.prefix("bad\nprefix")));
      assertValidation("prefix", () -> ns.list(ListOptions.prefix("x".repeat(600))));
      assertValidation("cursor", () -> ListOptions.all().cursor(""));
      assertValidation("cursor", () -> ns.list(ListOptions.all().cursor("not-a-cursor")));
      assertValidation("name", () -> NamespaceOptions.builder("has:colon", Sample.class));
      assertValidation("name", () -> NamespaceOptions.builder("", Sample.class));
    });
    assertEquals(0, trips);
  }

  @Test
  void cursorsFromAnotherListingOrAlteredAreRejected() {
    KvNamespace<Sample> ns = workouts();
    KvNamespace<Sample> other = workouts();
    ns.blocking().putAll(workoutsOf("c", 10));
    other.blocking().putAll(workoutsOf("c", 10));
    KvPage first = ns.blocking().list(ListOptions.prefix("c:").limit(3));
    String cursor = first.cursor().orElseThrow();
    assertValidation("cursor", () -> other.list(ListOptions.prefix("c:").cursor(cursor)));
    assertValidation("cursor", () -> ns.list(ListOptions.prefix("c:w01").cursor(cursor)));
    // Edit a middle character: the last one of unpadded base64 may carry only ignored bits,
    // and an edit that decodes to the same bytes is no edit at all.
    int mid = cursor.length() / 2;
    String altered = cursor.substring(0, mid) + (cursor.charAt(mid) == 'A' ? 'B' : 'A')
        + cursor.substring(mid + 1);
    assertValidation("cursor", () -> ns.list(ListOptions.prefix("c:").cursor(altered)));
    assertValidation("cursor", () -> ns.list(ListOptions.prefix("c:")
        .cursor(cursor.substring(0, 3))));
    assertEquals(3, ns.blocking().list(ListOptions.prefix("c:").limit(3).cursor(cursor))
        .keys().size());
  }
}
