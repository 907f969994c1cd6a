package io.kvstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.bench.codec.CodecBenchmark;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both decoders of {@code CodecBenchmark} read the 64 records back as they were written. */
class CodecBenchmarkTest {
  @ParameterizedTest
  @EnumSource(CodecBenchmark.Decoder.class)
  void everyDecoderReadsThe64Records(CodecBenchmark.Decoder decoder) {
    CodecBenchmark bench = new CodecBenchmark();
    bench.decoder = decoder;
    bench.setUp();
    assertEquals(List.copyOf(Workouts.records(CodecBenchmark.N).values()), bench.decodeAll());
  }
}
