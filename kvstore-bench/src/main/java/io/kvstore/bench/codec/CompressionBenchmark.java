package io.kvstore.bench.codec;

import io.kvstore.Compression;
import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.bench.RedisTarget;
import io.kvstore.bench.WorkoutCompletion;
import io.kvstore.bench.Workouts;
import io.kvstore.redis.RedisKvStore;
import java.time.Duration;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What compression costs and buys on the bench's workout records (about 530 bytes of JSON each):
 * encode and decode of one user's 64 records with no network, and {@code getAll(64)} /
 * {@code putAll(64)} on a {@code redis-server} the trial starts, directly or behind a proxy that
 * adds a round trip. Each compression is a {@code @Param}, so one run gives the table side by
 * side. Bytes stored and Redis memory per record: {@link CompressionFootprint}.
 *
 * <pre>
 * java -jar kvstore-bench/target/benchmarks.jar CompressionBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CompressionBenchmark {
  /** How values are stored. */
  @Param({"PLAIN", "LZ4", "ZSTD"})
  public Stored stored;

  /** Added round trip to Redis, in milliseconds (0: loopback). */
  @Param({"0", "1"})
  public int addedMillis;

  /** The codecs under comparison; every record of the bench is over the default threshold. */
  public enum Stored {
    /** {@code KvCodec.json}. */
    PLAIN(KvCodec.json(WorkoutCompletion.class)),
    /** {@code KvCodec.compressed(json, Compression.lz4())}. */
    LZ4(KvCodec.compressed(KvCodec.json(WorkoutCompletion.class), Compression.lz4())),
    /** {@code KvCodec.compressed(json, Compression.zstd())}. */
    ZSTD(KvCodec.compressed(KvCodec.json(WorkoutCompletion.class), Compression.zstd()));

    final KvCodec<WorkoutCompletion> codec;

    Stored(KvCodec<WorkoutCompletion> codec) {
      this.codec = codec;
    }
  }

  private Map<String, WorkoutCompletion> records;
  private List<WorkoutCompletion> values;
  private byte[][] encoded;
  private RedisTarget redis;
  private KvStore store;
  private KvNamespace<WorkoutCompletion> ns;

  /** Encodes the records and stores them in a fresh Redis. */
  @Setup(Level.Trial)
  public void setUp() {
    records = Workouts.records(Workouts.PER_USER);
    values = List.copyOf(records.values());
    encoded = values.stream().map(stored.codec::encode).toArray(byte[][]::new);
    redis = RedisTarget.server(Duration.ofMillis(addedMillis));
    store = RedisKvStore.connect(redis.uris().get(0));
    ns = store.namespace(NamespaceOptions.builder(Workouts.NAMESPACE, stored.codec).build());
    ns.putAll(records).join();
  }

  /** Closes the store and stops Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    redis.close();
  }

  /**
   * Encodes the 64 records.
   *
   * @param bh consumes each encoding
   */
  @Benchmark
  public void encode64(Blackhole bh) {
    for (WorkoutCompletion value : values) {
      bh.consume(stored.codec.encode(value));
    }
  }

  /**
   * Decodes the 64 records.
   *
   * @param bh consumes each record
   */
  @Benchmark
  public void decode64(Blackhole bh) {
    for (byte[] value : encoded) {
      bh.consume(stored.codec.decode(value));
    }
  }

  /**
   * Reads the 64 records in one batch.
   *
   * @return the records
   */
  @Benchmark
  public Map<String, WorkoutCompletion> getAll64() {
    return ns.getAll(records.keySet()).join();
  }

  /**
   * Writes the 64 records in one batch.
   *
   * @return completion
   */
  @Benchmark
  public Void putAll64() {
    return ns.putAll(records).join();
  }
}
