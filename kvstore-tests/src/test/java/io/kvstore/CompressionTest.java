package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.testing.Workout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compressed values on the embedded store: smaller than plain, read back side by side with plain
 * ones and with the other algorithm's, bounded on read (a decompression bomb or a damaged value
 * fails its key alone), counted by {@code maxValueBytes} before compression, and working with
 * schema versions and read repair. The same codec over Redis: {@code RedisCompressionTest}.
 */
class CompressionTest {
  /** A record of a few KB, as profiles and cached documents are. */
  record Profile(String user, String bio, List<String> tags) {}

  private static final Profile PROFILE = new Profile("ada",
      "Runs, lifts and writes down every set. ".repeat(40),
      List.of("strength", "endurance", "mobility", "strength", "endurance"));

  private final KvStore store = KvStores.inMemory();
  private final KvNamespace<byte[]> raw =
      store.namespace(NamespaceOptions.builder("profile", KvCodec.bytes()).build());

  @AfterEach
  void close() {
    store.close();
  }

  private KvNamespace<Profile> profiles(Compression compression) {
    return store.namespace(NamespaceOptions.builder("profile",
        KvCodec.compressed(KvCodec.json(Profile.class), compression)).build());
  }

  @ParameterizedTest
  @EnumSource(Compression.Algorithm.class)
  void aLargeValueIsStoredCompressedAndReadsBack(Compression.Algorithm algorithm) {
    Compression compression = algorithm == Compression.Algorithm.ZSTD ? Compression.zstd()
        : Compression.lz4();
    KvNamespace<Profile> ns = profiles(compression);
    ns.blocking().put("ada", PROFILE);

    byte[] stored = raw.blocking().get("ada").orElseThrow();
    byte[] plain = KvCodec.json(Profile.class).encode(PROFILE);
    assertEquals(0x00, stored[0]);
    assertEquals((byte) 0xF5, stored[1]);
    assertTrue(stored.length * 4 < plain.length, stored.length + " of " + plain.length);
    assertEquals(PROFILE, ns.blocking().get("ada").orElseThrow());
    assertEquals(Map.of("ada", PROFILE), ns.blocking().getAll(List.of("ada")));
  }

  @Test
  void smallAndIncompressibleValuesStayPlain() {
    KvNamespace<String> text = store.namespace(NamespaceOptions.builder("note",
        KvCodec.compressed(KvCodec.utf8(), Compression.zstd())).build());
    text.blocking().put("short", "stretch first");
    String noise = randomLetters(2000);
    text.blocking().put("noise", noise);
    KvNamespace<String> plain = store.namespace(
        NamespaceOptions.builder("note", KvCodec.utf8()).build());
    assertEquals("stretch first", plain.blocking().get("short").orElseThrow());
    assertEquals(Optional.of(noise), text.blocking().get("noise"));
  }

  @Test
  void plainZstdAndLz4ValuesReadSideBySide() {
    store.namespace(NamespaceOptions.builder("profile", Profile.class).build()).blocking()
        .put("plain", PROFILE);
    profiles(Compression.zstd()).blocking().put("zstd", PROFILE);
    profiles(Compression.lz4()).blocking().put("lz4", PROFILE);
    Map<String, Profile> all = Map.of("plain", PROFILE, "zstd", PROFILE, "lz4", PROFILE);
    for (Compression c : List.of(Compression.zstd(), Compression.lz4(),
        Compression.zstd().withThresholdBytes(Compression.NEVER))) {
      assertEquals(all, profiles(c).blocking().getAll(all.keySet()), c.toString());
    }
    KvNamespace<Profile> off = profiles(Compression.zstd().withThresholdBytes(Compression.NEVER));
    off.blocking().put("off", PROFILE);
    assertEquals(PROFILE, store.namespace(NamespaceOptions.builder("profile", Profile.class)
        .build()).blocking().get("off").orElseThrow(), "NEVER writes plain JSON");
  }

  @Test
  void aValueThatLooksCompressedIsWrappedSoItReadsBackAsWritten() {
    KvNamespace<byte[]> bytes = store.namespace(NamespaceOptions.builder("blob",
        KvCodec.compressed(KvCodec.bytes(), Compression.lz4())).build());
    byte[] lookalike = {0x00, (byte) 0xF5, 2, 0x7F, 0x7F, 0x7F, 0x7F, 1, 2};
    bytes.blocking().put("k", lookalike);
    assertArrayEquals(lookalike, bytes.blocking().get("k").orElseThrow());
  }

  @Test
  void aDecompressionBombFailsItsKeyBeforeAnythingIsAllocated() {
    KvNamespace<Profile> ns = profiles(Compression.zstd().withMaxDecompressedBytes(1 << 20));
    ns.blocking().put("good", PROFILE);
    // A header that claims 2 GiB, and one that claims 512 bytes over data that expands further.
    raw.blocking().put("claims", new byte[] {0x00, (byte) 0xF5, 1, 0x7F, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF, 0x28, (byte) 0xB5});
    byte[] bomb = com.github.luben.zstd.Zstd.compress(new byte[50_000_000], 19);
    raw.blocking().put("expands", header(1, 512, bomb));

    Map<String, KvResult<Profile>> results = ns.blocking().getAllResults(
        List.of("good", "claims", "expands"));
    assertEquals(new KvResult.Found<>(PROFILE), results.get("good"));
    KvCodecException claims = assertInstanceOf(KvCodecException.class,
        assertInstanceOf(KvResult.Failed.class, results.get("claims")).error());
    assertTrue(claims.getMessage().contains("reads at most"), claims.getMessage());
    KvCodecException expands = assertInstanceOf(KvCodecException.class,
        assertInstanceOf(KvResult.Failed.class, results.get("expands")).error());
    assertTrue(expands.getMessage().contains("damaged"), expands.getMessage());
  }

  @Test
  void aDamagedValueIsADecodeFailureUnderTheNamespacesPolicy() {
    profiles(Compression.lz4()).blocking().put("k", PROFILE);
    byte[] stored = raw.blocking().get("k").orElseThrow();
    Arrays.fill(stored, 10, stored.length, (byte) 0x55);
    raw.blocking().put("k", stored);
    KvNamespace<Profile> missing = store.namespace(NamespaceOptions.builder("profile",
        KvCodec.compressed(KvCodec.json(Profile.class), Compression.lz4()))
        .onDecodeFailure(DecodeFailure.MISS).build());
    assertEquals(Optional.empty(), missing.blocking().get("k"));
    assertThrows(KvCodecException.class, () -> profiles(Compression.lz4()).blocking().get("k"));
  }

  @Test
  void maxValueBytesCountsTheValueBeforeCompressionOnWriteAndRead() {
    KvNamespace<Profile> small = store.namespace(NamespaceOptions.builder("profile",
        KvCodec.compressed(KvCodec.json(Profile.class), Compression.zstd()))
        .maxValueBytes(1000).build());
    KvValidationException e = assertThrows(KvValidationException.class,
        () -> small.blocking().put("ada", PROFILE));
    assertTrue(e.getMessage().contains("before compression"), e.getMessage());
    assertEquals(Optional.empty(), raw.blocking().get("ada"), "nothing was written");

    profiles(Compression.zstd()).blocking().put("ada", PROFILE);
    KvCodecException read = assertThrows(KvCodecException.class,
        () -> small.blocking().get("ada"));
    assertTrue(read.getMessage().contains("decompressed"), read.getMessage());
  }

  /** Release 1's shape of a workout, before weekNumber. */
  record OldWorkout(String user, int week) {}

  /** Release 2's. */
  record NewWorkout(String user, int weekNumber) {}

  @Test
  void migrationsAndReadRepairWorkOnCompressedValues() {
    store.namespace(NamespaceOptions.builder("w", OldWorkout.class).build()).blocking()
        .put("ada:w07", new OldWorkout("ada".repeat(100), 7));
    SchemaOptions schema = SchemaOptions.version(2).readRepair(true).migrate(1, v -> {
      v.put("weekNumber", v.remove("week"));
      return v;
    }).build();
    KvCodec<NewWorkout> codec = KvCodec.compressed(
        KvCodec.json(NewWorkout.class, JsonOptions.builder().schema(schema).build()),
        Compression.zstd().withThresholdBytes(0));
    KvNamespace<NewWorkout> next = store.namespace(
        NamespaceOptions.builder("w", codec).build());

    long trips = KvRoundTrips.count(store, () -> assertEquals(
        new NewWorkout("ada".repeat(100), 7), next.blocking().get("ada:w07").orElseThrow()));
    assertEquals(2, trips, "the read and the repairing compare-and-set");
    byte[] repaired = store.namespace(NamespaceOptions.builder("w", KvCodec.bytes()).build())
        .blocking().get("ada:w07").orElseThrow();
    assertEquals((byte) 0xF5, repaired[1], "written back compressed");
    assertEquals(1, KvRoundTrips.count(store, () -> next.blocking().get("ada:w07")),
        "a repaired value needs no second repair");
  }

  @Test
  void badSettingsAreRefusedWhenMade() {
    assertThrows(KvValidationException.class, () -> Compression.zstd().withLevel(0));
    assertThrows(KvValidationException.class, () -> Compression.zstd().withLevel(23));
    assertThrows(KvValidationException.class, () -> Compression.lz4().withThresholdBytes(-1));
    assertThrows(KvValidationException.class,
        () -> Compression.lz4().withMaxDecompressedBytes(0));
    assertThrows(KvValidationException.class,
        () -> KvCodec.compressed(null, Compression.zstd()));
    assertThrows(KvValidationException.class, () -> KvCodec.compressed(KvCodec.utf8(), null));
    assertEquals("KvCodec.compressed(KvCodec.utf8(), zstd level 3, from 256 bytes)",
        KvCodec.compressed(KvCodec.utf8(), Compression.zstd()).toString());
  }

  private static byte[] header(int algorithm, int plainSize, byte[] body) {
    byte[] out = new byte[7 + body.length];
    out[0] = 0x00;
    out[1] = (byte) 0xF5;
    out[2] = (byte) algorithm;
    out[3] = (byte) (plainSize >>> 24);
    out[4] = (byte) (plainSize >>> 16);
    out[5] = (byte) (plainSize >>> 8);
    out[6] = (byte) plainSize;
    System.arraycopy(body, 0, out, 7, body.length);
    return out;
  }

  private static String randomLetters(int n) {
    java.util.Random random = new java.util.Random(42);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('!' + random.nextInt(90)));
    }
    return b.toString();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
