package io.kvstore.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvEntry;
import io.kvstore.KvKey;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.internal.CursorForger;
import io.kvstore.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The embedded store's side of cursor integrity: namespace {@code tenantA}, listing prefix
 * {@code card:} under a sliding TTL, is given forged cursors (that pass the integrity check)
 * naming another tenant's key, another application's key and its own keys outside the prefix.
 * Each is refused with a {@link KvValidationException} before the store is asked, nothing
 * foreign is listed, and no TTL moves but those of the keys a page returns. Stores sharing a
 * cursor key accept each other's cursors and refuse every other.
 */
class EmbeddedForgedCursorTest {
  private static final String NS = "tenantA";
  private static final String PREFIX = "card:";

  @Test
  void forgedCursorsNeverReachOutsideTheNamespaceAndPrefix() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (KvStore store = KvStores.inMemory(InMemoryOptions.builder().clock(clock).build())) {
      KvNamespace<String> tenantA = store.namespace(NamespaceOptions.builder(NS, KvCodec.utf8())
          .ttl(TtlPolicy.sliding(Duration.ofMinutes(10))).build());
      KvNamespace<String> tenantB = store.namespace(
          NamespaceOptions.builder("tenantB", KvCodec.utf8()).build());
      tenantA.blocking().putAll(Map.of("card:1", "a1", "card:2", "a2", "card:3", "a3"));
      tenantA.blocking().put("other:9", "a9", PutOptions.ttl(Duration.ofHours(5)));
      tenantA.blocking().put("a-before", "a0", PutOptions.ttl(Duration.ofHours(5)));
      tenantB.blocking().put("card:4111", "b-secret");

      for (String token : List.of("tenantB:card:4111", "session:card:admin", "other:9",
          "a-before", "", "card", "tenantA:card:1")) {
        String cursor = CursorForger.forge(NS, PREFIX, token);
        long roundTrips = KvRoundTrips.count(store, () -> {
          assertThrows(KvValidationException.class, () -> tenantA.blocking().list(
              ListOptions.prefix(PREFIX).cursor(cursor)), token);
          assertThrows(KvValidationException.class, () -> tenantA.blocking().listValues(
              ListOptions.prefix(PREFIX).cursor(cursor)), token);
        });
        assertEquals(0, roundTrips, token);
      }

      // A key of the prefix can only resume the listing within it.
      String within = CursorForger.forge(NS, PREFIX, "card:1");
      assertEquals(List.of("card:2", "card:3"), tenantA.blocking().listValues(
          ListOptions.prefix(PREFIX).cursor(within)).entries().stream().map(KvEntry::key)
          .toList());

      assertEquals(Optional.of("b-secret"), tenantB.blocking().get("card:4111"));
      assertEquals(Optional.empty(), tenantB.blocking().list(ListOptions.all()).keys().get(0)
          .expiration());
      for (KvKey key : tenantA.blocking().list(ListOptions.prefix("a")).keys()) {
        assertEquals(Optional.of(clock.instant().plus(Duration.ofHours(5))), key.expiration());
      }
      assertEquals(Optional.of(clock.instant().plus(Duration.ofHours(5))), tenantA.blocking()
          .list(ListOptions.prefix("other:")).keys().get(0).expiration());
    }
  }

  @Test
  void storesSharingACursorKeyAcceptEachOthersCursorsAndNoOthers() {
    byte[] shared = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    InMemoryOptions keyed = InMemoryOptions.builder().cursorKey(shared).build();
    try (KvStore a = KvStores.inMemory(keyed);
        KvStore b = KvStores.inMemory(keyed.toBuilder().build());
        KvStore unkeyed = KvStores.inMemory();
        KvStore stranger = KvStores.inMemory(InMemoryOptions.builder()
            .cursorKey("0123456789abcdeF".getBytes(StandardCharsets.UTF_8)).build())) {
      Map<String, String> data = Map.of("card:1", "a1", "card:2", "a2", "card:3", "a3");
      for (KvStore store : List.of(a, b, unkeyed, stranger)) {
        tenant(store).blocking().putAll(data);
      }
      String issued = tenant(a).blocking().list(ListOptions.prefix(PREFIX).limit(1)).cursor()
          .orElseThrow();
      assertEquals(List.of("card:2", "card:3"), tenant(b).blocking().list(
          ListOptions.prefix(PREFIX).cursor(issued)).names());
      String forged = CursorForger.forge(NS, PREFIX, "card:1");
      String older = "1" + Base64.getUrlEncoder().withoutPadding().encodeToString(
          "\0\0\0\0card:1".getBytes(StandardCharsets.UTF_8));
      for (var refusal : List.of(Map.entry(unkeyed, issued), Map.entry(stranger, issued),
          Map.entry(a, forged), Map.entry(unkeyed, older))) {
        KvNamespace<String> ns = tenant(refusal.getKey());
        KvValidationException error = assertThrows(KvValidationException.class,
            () -> ns.blocking().list(ListOptions.prefix(PREFIX).cursor(refusal.getValue())));
        assertTrue(error.getMessage().contains("cursor"), error.getMessage());
      }
    }
  }

  @Test
  void aCursorKeyIsCheckedAndCopied() {
    assertThrows(KvValidationException.class, () -> InMemoryOptions.builder().cursorKey(null));
    assertThrows(KvValidationException.class,
        () -> InMemoryOptions.builder().cursorKey(new byte[15]));
    byte[] key = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    InMemoryOptions options = InMemoryOptions.builder().cursorKey(key).build();
    key[0] = 'X'; // changing the caller's array afterwards changes nothing
    try (KvStore first = KvStores.inMemory(options);
        KvStore second = KvStores.inMemory(InMemoryOptions.builder()
            .cursorKey("0123456789abcdef".getBytes(StandardCharsets.UTF_8)).build())) {
      tenant(first).blocking().putAll(Map.of("card:1", "a1", "card:2", "a2"));
      tenant(second).blocking().putAll(Map.of("card:1", "a1", "card:2", "a2"));
      String issued = tenant(first).blocking().list(ListOptions.prefix(PREFIX).limit(1))
          .cursor().orElseThrow();
      assertEquals(List.of("card:2"), tenant(second).blocking().list(
          ListOptions.prefix(PREFIX).cursor(issued)).names());
    }
  }

  private static KvNamespace<String> tenant(KvStore store) {
    return store.namespace(NamespaceOptions.builder(NS, KvCodec.utf8()).build());
  }
}
