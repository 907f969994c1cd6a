package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.DecodeFailure;
import io.kvstore.JsonOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import io.kvstore.KvEntry;
import io.kvstore.KvEvent;
import io.kvstore.KvKey;
import io.kvstore.KvResult;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.ListOptions;
import io.kvstore.Migration;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.SchemaOptions;
import io.kvstore.testkit.internal.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling deploy, run against every store: instances of three releases of one record type read
 * and write the same namespace. Release 1 ({@link V1}) predates versioning; release 2 ({@link V2})
 * adds a field and declares schema version 2; release 3 ({@link V3}) renames a field (version 3,
 * with a migration). The old instance and the new ones are separate stores where the fixture's
 * stores share their data ({@link StoreFixture.Capability#SHARED_DATA}), so values cross a real
 * connection. Namespaces get the fixture's options: run it on fixtures with and without a near
 * cache to cover both.
 */
public abstract class SchemaEvolutionContract {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  /**
   * Release 1: no schema version.
   *
   * @param user the user
   * @param week the program week
   */
  public record V1(String user, int week) {}

  /**
   * Release 2: adds a coach's note.
   *
   * @param user the user
   * @param week the program week
   * @param coachNote the note, {@code "none"} for values of release 1
   */
  public record V2(String user, int week, String coachNote) {}

  /**
   * Release 3: renames {@code week} to {@code weekNumber}.
   *
   * @param user the user
   * @param weekNumber the program week
   * @param coachNote the note
   */
  public record V3(String user, int weekNumber, String coachNote) {}

  /** 1 -> 2: values of release 1 get the note release 2 expects. */
  private static final Migration ADD_NOTE = v -> {
    v.putIfAbsent("coachNote", "none");
    return v;
  };

  /** 2 -> 3: the rename. */
  private static final Migration RENAME_WEEK = v -> {
    v.put("weekNumber", v.remove("week"));
    return v;
  };

  private StoreFixture fixture;
  private KvStore oldStore;
  private KvStore newStore;
  private boolean nearCache;
  private String ns;

  /** For subclasses. */
  protected SchemaEvolutionContract() {}

  /**
   * The store under test.
   *
   * @return the fixture; asked once per test
   */
  protected abstract StoreFixture fixture();

  @BeforeEach
  void openStores() {
    Fixtures.requireJUnit();
    fixture = fixture();
    oldStore = fixture.open();
    newStore = Fixtures.openPeer(fixture, oldStore);
    nearCache = Fixtures.nearCache(fixture);
    ns = "schema" + NAMESPACES.incrementAndGet();
  }

  @AfterEach
  void closeStores() {
    if (newStore != oldStore) {
      newStore.close();
    }
    oldStore.close();
  }

  /** The fixture's options for the suite's namespace, with its near cache or none. */
  private <V> NamespaceOptions.Builder<V> options(Class<V> type, boolean nearCache) {
    NamespaceOptions.Builder<V> b = fixture.configure(NamespaceOptions.builder(ns, type));
    return nearCache ? b : b.nearCache(null);
  }

  /** The built-in JSON codec with a schema: what a release that versions its values opens. */
  private static <V> KvCodec<V> versioned(Class<V> type, SchemaOptions schema) {
    return KvCodec.json(type, JsonOptions.builder().schema(schema).build());
  }

  private BlockingKvNamespace<V1> release1(boolean nearCache) {
    return oldStore.namespace(options(V1.class, nearCache).build()).blocking();
  }

  private static SchemaOptions.Builder schema2() {
    return SchemaOptions.version(2).migrate(1, ADD_NOTE);
  }

  private static SchemaOptions.Builder schema3() {
    return SchemaOptions.version(3).migrate(1, ADD_NOTE).migrate(2, RENAME_WEEK);
  }

  private BlockingKvNamespace<V2> release2(KvStore store, boolean nearCache) {
    return store.namespace(options(V2.class, nearCache).codec(versioned(V2.class, schema2().build())).build())
        .blocking();
  }

  private BlockingKvNamespace<V3> release3(boolean nearCache) {
    return newStore.namespace(options(V3.class, nearCache).codec(versioned(V3.class, schema3().build())).build())
        .blocking();
  }

  /** The stored bytes as text, read through a raw view without a near cache. */
  private String stored(String key) {
    return oldStore.namespace(options(String.class, false).codec(KvCodec.utf8()).build())
        .blocking()
        .get(key).orElse("missing");
  }

  private void storeRaw(String key, String json) {
    oldStore.namespace(options(byte[].class, false).codec(KvCodec.bytes()).build())
        .blocking()
        .put(key, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void releases1And2ReadEachOthersValues() {
    BlockingKvNamespace<V1> old = release1(nearCache);
    BlockingKvNamespace<V2> next = release2(newStore, nearCache);
    old.put("from-1", new V1("ada", 1));
    next.put("from-2", new V2("bob", 2, "rest day"));

    assertEquals(new V1("bob", 2), old.get("from-2").orElseThrow(),
        "the old release ignores the version and the field it does not know");
    assertEquals(new V2("ada", 1, "none"), next.get("from-1").orElseThrow(),
        "a value from before versioning reads as version 1 and is migrated");
    assertEquals(Map.of("from-1", new V1("ada", 1), "from-2", new V1("bob", 2)),
        old.getAll(List.of("from-1", "from-2")));
    assertEquals(Map.of("from-1", new V2("ada", 1, "none"), "from-2", new V2("bob", 2,
        "rest day")), next.getAll(List.of("from-1", "from-2")));

    assertEquals("{\"_v\":2,\"user\":\"bob\",\"week\":2,\"coachNote\":\"rest day\"}",
        stored("from-2"), "plain JSON with the version as its first property");
    assertEquals("{\"user\":\"ada\",\"week\":1}", stored("from-1"),
        "reads never rewrite values unless read-repair is on");
  }

  @Test
  void release3MigratesEveryOlderValueOnEveryReadPath() {
    release1(nearCache).put("u:1", new V1("ada", 1));
    release2(oldStore, nearCache).put("u:2", new V2("bob", 2, "rest day"));
    storeRaw("u:0", "{ \"week\" : 7, \"user\" : \"cy\", \"extra\" : [1, 2] }");
    BlockingKvNamespace<V3> next = release3(nearCache);
    next.put("u:3", new V3("dee", 3, "deload"));

    Map<String, V3> expected = Map.of(
        "u:0", new V3("cy", 7, "none"),
        "u:1", new V3("ada", 1, "none"),
        "u:2", new V3("bob", 2, "rest day"),
        "u:3", new V3("dee", 3, "deload"));
    expected.forEach((key, value) -> assertEquals(value, next.get(key).orElseThrow(), key));
    assertEquals(expected, next.getAll(List.of("u:0", "u:1", "u:2", "u:3")));
    Map<String, KvResult<V3>> results = next.getAllResults(expected.keySet());
    expected.forEach((key, value) -> assertEquals(value, results.get(key).toOptional().orElseThrow()));
    assertEquals(expected, next.scanValues("u:").collect(Collectors.toMap(KvEntry::key,
        KvEntry::value)));
  }

  @Test
  void aNewerVersionFailsTheOlderReaderNamingBothVersions() {
    release3(nearCache).put("k", new V3("ada", 4, "n"));
    release2(newStore, nearCache).put("ok", new V2("bob", 2, "n"));
    BlockingKvNamespace<V2> old = release2(oldStore, nearCache);

    for (int attempt = 0; attempt < 2; attempt++) {
      KvRoundTrips.Recording recording = KvRoundTrips.record(oldStore, () -> {
        KvCodecException e = assertThrows(KvCodecException.class, () -> old.get("k"));
        assertTrue(e.getMessage().contains("stored schema version 3 is newer than 2"),
            e.getMessage());
        assertEquals("k", e.key());
      });
      KvEvent event = recording.operations().get(0);
      assertEquals(1, event.decodeFailures());
      assertEquals(1, event.roundTrips(), "a failed value is never served from the near cache");
    }
    Map<String, KvResult<V2>> results = old.getAllResults(List.of("k", "ok"));
    assertInstanceOf(KvResult.Failed.class, results.get("k"));
    assertEquals(new V2("bob", 2, "n"), results.get("ok").toOptional().orElseThrow());
    assertEquals(Map.of("ok", new V2("bob", 2, "n")), old.getAll(List.of("k", "ok")));
    assertEquals(4, oldStore.stats().decodeFailures());
    assertTrue(old.listValues(ListOptions.prefix("")).failures().containsKey("k"));
  }

  @Test
  void theMissPolicyAnswersEmptyCountsAndLetsTheCallerRefill() {
    release3(nearCache).put("k", new V3("ada", 4, "n"));
    BlockingKvNamespace<V2> old = oldStore.namespace(options(V2.class, nearCache)
        .codec(versioned(V2.class, schema2().build())).onDecodeFailure(DecodeFailure.MISS).build()).blocking();

    KvRoundTrips.Recording recording = KvRoundTrips.record(oldStore, () -> {
      assertTrue(old.get("k").isEmpty());
      assertTrue(old.get("k").isEmpty());
    });
    assertEquals(List.of(1, 1), recording.operations().stream().map(KvEvent::decodeFailures)
        .toList());
    assertTrue(recording.operations().stream().allMatch(KvEvent::succeeded));
    // Each read goes to the store (the first one on Redis may also load a script).
    assertTrue(recording.operations().stream().allMatch(e -> e.roundTrips() >= 1),
        "the failure is not cached, not even as a miss");
    assertInstanceOf(KvResult.Failed.class, old.getAllResults(List.of("k")).get("k"),
        "getAllResults still reports the failure");
    assertEquals(3, oldStore.stats().decodeFailures());

    old.put("k", new V2("ada", 4, "refilled"));
    assertEquals(new V2("ada", 4, "refilled"), old.get("k").orElseThrow());
  }

  @Test
  void aMigrationThatThrowsFailsOnlyThatKey() {
    Migration picky = v -> {
      if (((Number) v.get("week")).intValue() < 0) {
        throw new IllegalArgumentException("negative week " + v);
      }
      return RENAME_WEEK.apply(v);
    };
    BlockingKvNamespace<V3> next = newStore.namespace(options(V3.class, nearCache)
        .codec(versioned(V3.class, SchemaOptions.version(3).migrate(1, ADD_NOTE).migrate(2, picky).build()))
        .build()).blocking();
    release1(nearCache).putAll(Map.of("bad", new V1("SECRET", -1), "good", new V1("ada", 1)));

    Map<String, KvResult<V3>> results = next.getAllResults(List.of("bad", "good"));
    assertEquals(new V3("ada", 1, "none"), results.get("good").toOptional().orElseThrow());
    KvCodecException e = (KvCodecException) ((KvResult.Failed<V3>) results.get("bad")).error();
    assertTrue(e.getMessage().contains("migration 2 -> 3 of a version 1 value failed with"
        + " IllegalArgumentException"), e.getMessage());
    assertFalse(e.getMessage().contains("SECRET"), "the value never reaches the message");
  }

  @Test
  void readRepairWritesMigratedValuesBackOnceAndKeepsTheirTtl() {
    release1(nearCache).put("k", new V1("ada", 1), PutOptions.ttl(Duration.ofHours(1)));
    release1(nearCache).put("plain", new V1("bob", 2));
    BlockingKvNamespace<V3> next = newStore.namespace(options(V3.class, nearCache)
        .codec(versioned(V3.class, schema3().readRepair(true).build())).build()).blocking();

    KvRoundTrips.Recording first = KvRoundTrips.record(newStore,
        () -> assertEquals(Map.of("k", new V3("ada", 1, "none"), "plain", new V3("bob", 2,
            "none")), next.getAll(List.of("k", "plain"))));
    assertEquals(2, first.roundTrips(), "one read, then both swaps in one round trip");
    assertEquals("{\"_v\":3,\"user\":\"ada\",\"weekNumber\":1,\"coachNote\":\"none\"}",
        stored("k"));
    KvKey listed = next.list(ListOptions.prefix("k")).keys().get(0);
    assertTrue(listed.expiration().isPresent(), "the swap kept the TTL");

    BlockingKvNamespace<V3> fresh = newStore.namespace(options(V3.class, false)
        .codec(versioned(V3.class, schema3().readRepair(true).build())).build()).blocking();
    assertEquals(1, KvRoundTrips.count(newStore,
        () -> assertEquals(new V3("ada", 1, "none"), fresh.get("k").orElseThrow())),
        "a repaired value needs no second repair");
  }

  @Test
  void readRepairNeverOverwritesANewerWrite() {
    BlockingKvNamespace<V3> writer = oldStore.namespace(options(V3.class, false)
        .codec(versioned(V3.class, schema3().build())).build()).blocking();
    AtomicInteger migrations = new AtomicInteger();
    // The race, made certain: between the repairing read and its compare-and-set, another
    // instance writes a newer value of the same key.
    Migration racing = v -> {
      if (migrations.incrementAndGet() == 1) {
        writer.put("k", new V3("newer", 9, "written meanwhile"));
      }
      return RENAME_WEEK.apply(v);
    };
    BlockingKvNamespace<V3> repairing = newStore.namespace(options(V3.class, false)
        .codec(versioned(V3.class, SchemaOptions.version(3).migrate(1, ADD_NOTE).migrate(2, racing)
            .readRepair(true).build())).build()).blocking();
    release1(false).put("k", new V1("ada", 1));

    assertEquals(new V3("ada", 1, "none"), repairing.get("k").orElseThrow(),
        "the read answers the value it saw");
    assertEquals(1, migrations.get());
    assertEquals("{\"_v\":3,\"user\":\"newer\",\"weekNumber\":9,\"coachNote\":\"written"
        + " meanwhile\"}", stored("k"), "the newer write survives");
    assertEquals(new V3("newer", 9, "written meanwhile"), repairing.get("k").orElseThrow());
  }

  @Test
  void readRepairIsOffByDefault() {
    release1(false).put("k", new V1("ada", 1));
    BlockingKvNamespace<V3> next = release3(false);
    String before = stored("k");
    for (int i = 0; i < 3; i++) {
      assertEquals(1, KvRoundTrips.count(newStore,
          () -> assertEquals(new V3("ada", 1, "none"), next.get("k").orElseThrow())));
    }
    assertEquals(before, stored("k"));
  }
}
