package io.kvstore.bench.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvstore.JsonOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.Migration;
import io.kvstore.NamespaceOptions;
import io.kvstore.SchemaOptions;
import io.kvstore.bench.WorkoutCompletion;
import io.kvstore.bench.Workouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What schema versioning costs a read, on the embedded store so no network hides it, with the
 * 527-552-byte workout records of the other benchmarks:
 *
 * <ul>
 *   <li>{@code decode}: the namespace codec decoding one stored value;
 *   <li>{@code getAll64}: {@code getAll} of 64 keys through the namespace (validation, store,
 *       64 decodes, result map).
 * </ul>
 *
 * <p>{@code schema}: {@code UNVERSIONED} (the plain JSON codec, the baseline), {@code VERSIONED}
 * (a version-2 namespace reading version-2 values: the fast path, no migration) and
 * {@code ONE_MIGRATION} (the same namespace reading values stored before versioning, as version
 * 1, whose {@code duration} property the step {@code 1 -> 2} renames to {@code durationSeconds}).
 *
 * <p>Run: {@code java -jar kvstore-bench/target/benchmarks.jar SchemaBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SchemaBenchmark {
  /** How the stored values and the reading namespace are versioned. */
  public enum Schema {
    /** No schema: the baseline. */
    UNVERSIONED,
    /** Values at the reader's version: no migration. */
    VERSIONED,
    /** Values one version behind the reader: one migration step per read. */
    ONE_MIGRATION
  }

  /** How many records {@link #getAll64()} reads. */
  public static final int N = 64;

  /** The rename a version-1 value needs: {@code duration} became {@code durationSeconds}. */
  private static final Migration RENAME = v -> {
    v.put("durationSeconds", v.remove("duration"));
    return v;
  };

  /** The schema under test. */
  @Param
  public Schema schema;

  private KvStore store;
  private KvNamespace<WorkoutCompletion> reader;
  private KvCodec<WorkoutCompletion> codec;
  private List<String> keys;
  private byte[] one;

  /** Stores 64 records in the shape the schema parameter names. */
  @Setup(Level.Trial)
  public void setUp() {
    store = KvStores.inMemory();
    NamespaceOptions<WorkoutCompletion> plain = Workouts.namespace();
    NamespaceOptions<WorkoutCompletion> versioned = plain.toBuilder()
        .codec(KvCodec.json(WorkoutCompletion.class, JsonOptions.builder()
            .schema(SchemaOptions.version(2).migrate(1, RENAME).build()).build()))
        .build();
    keys = Workouts.keys(N);
    Map<String, WorkoutCompletion> records = Workouts.records(N);
    switch (schema) {
      case UNVERSIONED -> store.namespace(plain).putAll(records).join();
      case VERSIONED -> store.namespace(versioned).putAll(records).join();
      case ONE_MIGRATION -> store.namespace(NamespaceOptions.builder(Workouts.NAMESPACE,
          KvCodec.bytes()).build()).putAll(legacy(plain.codec(), records)).join();
      default -> throw new IllegalStateException(schema.name());
    }
    reader = store.namespace(schema == Schema.UNVERSIONED ? plain : versioned);
    codec = reader.options().codec();
    one = store.namespace(NamespaceOptions.builder(Workouts.NAMESPACE, KvCodec.bytes()).build())
        .blocking().get(keys.get(0)).orElseThrow();
  }

  /** Version-1 values: the plain encoding with {@code durationSeconds} named {@code duration}. */
  private static Map<String, byte[]> legacy(KvCodec<WorkoutCompletion> json,
      Map<String, WorkoutCompletion> records) {
    ObjectMapper mapper = new ObjectMapper();
    Map<String, byte[]> out = new LinkedHashMap<>();
    records.forEach((key, record) -> {
      try {
        ObjectNode tree = (ObjectNode) mapper.readTree(json.encode(record));
        tree.set("duration", tree.remove("durationSeconds"));
        out.put(key, mapper.writeValueAsBytes(tree));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return out;
  }

  /** Closes the store. */
  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
  }

  /**
   * Decodes one stored value with the namespace's codec.
   *
   * @return the record
   */
  @Benchmark
  public WorkoutCompletion decode() {
    return codec.decode(one);
  }

  /**
   * Reads 64 records through the namespace.
   *
   * @return the records
   */
  @Benchmark
  public Map<String, WorkoutCompletion> getAll64() {
    return reader.blocking().getAll(keys);
  }
}
