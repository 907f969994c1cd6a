package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kvstore.JsonOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvValidationException;
import io.kvstore.NamespaceOptions;
import io.kvstore.SchemaOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A value type with a property named as the schema's version property would be stored as
 * {@code {"_v":2,"_v":7,...}}, read fine at version 2 and become unreadable (or migrated again)
 * at version 3. It is rejected when the namespace is built, or, for properties only known when
 * written, on the write, before anything is sent.
 */
class VersionPropertyClashTest {
  /** A record with its own {@code _v}. */
  public record Counted(@JsonProperty("_v") int ownVersion, int n) {}

  /** The same clash under another version property name. */
  public record Revised(int revision, int n) {}

  /** A nested {@code _v} is the nested object's own business. */
  public record Outer(Counted inner, int n) {}

  private static <V> NamespaceOptions<V> versioned(String name, Class<V> type,
      SchemaOptions schema) {
    return NamespaceOptions.builder(name, KvCodec.json(type, JsonOptions.builder().schema(schema)
        .build())).build();
  }

  @Test
  void aTypeWithTheVersionPropertyIsRejectedWhenTheNamespaceIsBuilt() {
    KvValidationException e = assertThrows(KvValidationException.class,
        () -> versioned("counted", Counted.class,
            SchemaOptions.version(2).migrate(1, tree -> tree).build()));
    assertTrue(e.getMessage().contains("'_v'"), e.getMessage());
    assertThrows(KvValidationException.class,
        () -> versioned("revised", Revised.class,
            SchemaOptions.version(2).versionProperty("revision").build()));
  }

  @Test
  void theSameTypeIsAcceptedUnderAnotherVersionPropertyOrNested() {
    try (KvStore store = KvStores.inMemory()) {
      KvNamespace<Counted> ns = store.namespace(versioned("counted", Counted.class,
          SchemaOptions.version(2).versionProperty("schema").build()));
      ns.blocking().put("a", new Counted(7, 9));
      assertEquals(Optional.of(new Counted(7, 9)), ns.blocking().get("a"));
      KvNamespace<Outer> outer = store.namespace(versioned("outer", Outer.class,
          SchemaOptions.version(2).build()));
      outer.blocking().put("a", new Outer(new Counted(7, 9), 1));
      assertEquals(Optional.of(new Outer(new Counted(7, 9), 1)), outer.blocking().get("a"));
    }
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aMapValueWithTheVersionPropertyFailsItsWriteAndNothingIsStored() {
    try (KvStore store = KvStores.inMemory()) {
      KvNamespace<Map> ns = store.namespace(versioned("maps", Map.class,
          SchemaOptions.version(2).build()));
      Map<String, Object> bad = new LinkedHashMap<>();
      bad.put("n", 9);
      bad.put("_v", 7);
      KvValidationException e = assertThrows(KvValidationException.class, () -> ns.put("a", bad));
      assertTrue(e.getMessage().contains("'_v'"), e.getMessage());
      assertThrows(KvValidationException.class,
          () -> ns.putAll(Map.of("b", Map.of("n", 1), "c", bad)));
      assertEquals(Map.of(), ns.blocking().getAll(List.of("a", "b", "c")));
      ns.blocking().put("d", Map.of("n", 1, "nested", Map.of("_v", 3)));
      assertEquals(Optional.of(Map.of("n", 1, "nested", Map.of("_v", 3))), ns.blocking().get("d"));
    }
  }
}
