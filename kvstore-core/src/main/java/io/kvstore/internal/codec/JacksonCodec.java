package io.kvstore.internal.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.kvstore.KvCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * JSON on Jackson. Readers and writers are resolved once per codec: they are immutable and
 * thread-safe, and skip the per-call type lookup that {@code mapper.readValue} repeats.
 *
 * @param <V> the value type
 */
public final class JacksonCodec<V> implements KvCodec<V> {
  /**
   * The shared default mapper. Default typing is deactivated explicitly so that no stored
   * {@code @class} property can ever pick the class to instantiate.
   *
   * <p><b>Read limits.</b> A namespace must read back whatever it accepted, and it accepts any
   * value up to its {@code maxValueBytes} (checked before a stored value is decoded). Jackson's
   * default read limits are narrower than what its writer produces (strings of 20,000,000
   * characters, numbers of 1,000 digits, property names of 50,000 characters, while the writer
   * has no such limits), so a 21-million-character string could be written and never read. The
   * string and name limits are lifted here, leaving the namespace's byte limit as the bound on
   * size. Numbers are held to {@link #MAX_NUMBER_DIGITS}: even Jackson's fast parser is
   * superlinear in digits (a stored 26,000,000-digit number cost 14 s of CPU per read), and no
   * real value comes near the bound; the writer does not check it. Nesting stays
   * at Jackson's depth of 1000, which its writer enforces too, so a value nested too deeply fails
   * on write rather than on read.
   *
   * <p><b>Speed, same JSON.</b> Three changes make reads faster without changing what is written
   * or what a value reads as (see {@code CodecBenchmark}): instants in the form this mapper
   * writes them are parsed by hand ({@link FastInstants}, the JavaTimeModule's formatter for
   * every other form); doubles use Jackson's fast parser (same correctly rounded values); and
   * the Blackbird module calls constructors, creators and accessors through generated lambdas
   * instead of reflection.
   */
  /** The longest number a read accepts, in characters; longer ones fail their key. */
  public static final int MAX_NUMBER_DIGITS = 100_000;

  public static final ObjectMapper DEFAULT_MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxStringLength(Integer.MAX_VALUE)
              // Parsing a number is superlinear in its digits: one stored 26,000,000-digit
              // number cost 14 s of CPU per read without a bound. 100,000 digits parse in well
              // under a millisecond and are far beyond any real value (Jackson's default, 1,000,
              // would make values this codec wrote unreadable).
              .maxNumberLength(MAX_NUMBER_DIGITS)
              .maxNameLength(Integer.MAX_VALUE)
              .build())
          .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .build())
      .addModule(new JavaTimeModule())
      .addModule(FastInstants.module())
      .addModule(new Jdk8Module())
      .addModule(new BlackbirdModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .deactivateDefaultTyping()
      .build();

  private final Class<V> type;
  private final ObjectReader reader;
  private final ObjectWriter writer;
  private final String suffix;

  /**
   * Creates a codec.
   *
   * @param mapper the mapper to read and write with
   * @param type the value class
   */
  public JacksonCodec(ObjectMapper mapper, Class<V> type) {
    this(Objects.requireNonNull(mapper, "mapper").readerFor(type), mapper.writerFor(type), type,
        "");
  }

  private JacksonCodec(ObjectReader reader, ObjectWriter writer, Class<V> type, String suffix) {
    this.type = Objects.requireNonNull(type, "type");
    this.reader = reader;
    this.writer = writer;
    this.suffix = suffix;
  }

  /**
   * Returns the built-in codec of {@link KvCodec#json(Class)} on {@link #DEFAULT_MAPPER}.
   *
   * @param type the value class
   * @param strict whether unknown and missing properties fail the read
   * @param <V> the value type
   * @return the codec
   */
  public static <V> JacksonCodec<V> builtIn(Class<V> type, boolean strict) {
    return new JacksonCodec<>(readerFor(type, strict), DEFAULT_MAPPER.writerFor(type), type,
        strict ? ", strict" : "");
  }

  /**
   * Returns the built-in reader of a type. Lenient by default, so values survive rolling
   * deploys: properties a newer writer added are ignored and properties an older writer did not
   * know read as absent (Java defaults, {@code null}, {@code Optional.empty()}). Strict fails
   * on both, and on a {@code null} for a primitive.
   *
   * @param type the value class
   * @param strict whether unknown and missing properties fail the read
   * @return the reader, immutable and thread-safe
   */
  static ObjectReader readerFor(Class<?> type, boolean strict) {
    ObjectReader reader = DEFAULT_MAPPER.readerFor(Objects.requireNonNull(type, "type"));
    return strict
        ? reader.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        : reader.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  @Override
  public byte[] encode(V value) {
    try {
      return writer.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public V decode(byte[] bytes) {
    try {
      V value = reader.readValue(bytes);
      if (value == null) {
        throw new IllegalArgumentException("stored JSON is null, not a " + type.getSimpleName());
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "KvCodec.json(" + type.getSimpleName() + suffix + ")";
  }
}
