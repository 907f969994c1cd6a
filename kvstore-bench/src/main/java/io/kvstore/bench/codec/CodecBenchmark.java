package io.kvstore.bench.codec;

import io.kvstore.KvCodec;
import io.kvstore.bench.WorkoutCompletion;
import io.kvstore.bench.Workouts;
import io.kvstore.bench.peers.Client;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding the 64 workout records of one user (the bytes kvstore stores, 34 KB of JSON), no
 * network: kvstore's default JSON codec ({@code KvCodec.json}) against what a peer's user writes
 * (a plain {@code JsonMapper} with the {@code JavaTimeModule}).
 *
 * <pre>
 * java -jar kvstore-bench/target/benchmarks.jar CodecBenchmark -f 2 -wi 3 -i 5 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {
  /** Records per operation: one user's program. */
  public static final int N = Workouts.PER_USER;

  /** The decoder. */
  @Param({"PLAIN_MAPPER", "KVSTORE_JSON"})
  public Decoder decoder;

  /** Who decodes. */
  public enum Decoder {
    /** {@code JsonMapper.builder().addModule(new JavaTimeModule()).build()}. */
    PLAIN_MAPPER(Client::decode),
    /** kvstore's default: {@code KvCodec.json(WorkoutCompletion.class)}. */
    KVSTORE_JSON(KvCodec.json(WorkoutCompletion.class)::decode);

    private final Function<byte[], WorkoutCompletion> decode;

    Decoder(Function<byte[], WorkoutCompletion> decode) {
      this.decode = decode;
    }
  }

  private byte[][] values;

  /** Encodes the records once, as kvstore stores them. */
  @Setup(Level.Trial)
  public void setUp() {
    KvCodec<WorkoutCompletion> json = KvCodec.json(WorkoutCompletion.class);
    List<WorkoutCompletion> records = List.copyOf(Workouts.records(N).values());
    values = records.stream().map(json::encode).toArray(byte[][]::new);
  }

  /**
   * Decodes the 64 records.
   *
   * @param bh consumes each record
   */
  @Benchmark
  public void decode64(Blackhole bh) {
    for (byte[] value : values) {
      bh.consume(decoder.decode.apply(value));
    }
  }

  /**
   * Returns the records decoded, for tests.
   *
   * @return the 64 records
   */
  public List<WorkoutCompletion> decodeAll() {
    return Arrays.stream(values).map(decoder.decode).toList();
  }
}
