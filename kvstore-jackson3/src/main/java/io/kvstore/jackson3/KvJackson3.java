package io.kvstore.jackson3;

import io.kvstore.KvCodec;
import io.kvstore.KvValidationException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON codecs on Jackson 3, for applications whose mapper is a
 * {@code tools.jackson.databind.json.JsonMapper} (Spring Boot 4 configures one):
 *
 * <pre>{@code
 * KvNamespace<CompletedWorkout> done = store.namespace(
 *     NamespaceOptions.builder("workout", KvJackson3.codec(jsonMapper, CompletedWorkout.class))
 *         .ttl(TtlPolicy.fixed(Duration.ofDays(180)))
 *         .build());
 * }</pre>
 *
 * <p>The mapper is used as given: its modules, naming strategy and features decide the JSON, so
 * values look the same as the application's HTTP payloads. Jackson 3 already reads records and
 * {@code java.time} types without modules and never enables default typing by itself; keep it off
 * unless every writer is trusted. Its read limits apply as configured (Jackson's defaults accept
 * strings of 20,000,000 characters and numbers of 1,000 digits); raise them on the mapper's
 * factory if values may be larger, or a value could be written and never read back.
 *
 * <p>kvstore-core's built-in codec ({@link KvCodec#json(Class)}) stays on Jackson 2, and
 * versioned namespaces ({@code SchemaOptions}) need it: their migrations work on Jackson 2 trees.
 *
 * <p>Codecs are immutable and thread-safe (Jackson 3 mappers, readers and writers are).
 */
public final class KvJackson3 {
  private KvJackson3() {}

  /**
   * Returns a JSON codec for {@code type} on {@code mapper}.
   *
   * @param mapper the application's mapper, used as given
   * @param type the value class
   * @param <V> the value type
   * @return the codec
   * @throws KvValidationException if {@code mapper} or {@code type} is null
   */
  public static <V> KvCodec<V> codec(JsonMapper mapper, Class<V> type) {
    if (mapper == null || type == null) {
      throw new KvValidationException(mapper == null ? "mapper" : "type",
          "KvJackson3.codec: mapper and type must not be null");
    }
    return new Jackson3Codec<>(mapper.constructType(type), mapper);
  }

  /**
   * Encodes with one writer and decodes with one reader, both made once: a Jackson 3 reader or
   * writer is immutable, so sharing them skips the per-call lookups of
   * {@code mapper.readValue(bytes, type)}.
   */
  private static final class Jackson3Codec<V> implements KvCodec<V> {
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final JavaType type;

    Jackson3Codec(JavaType type, JsonMapper mapper) {
      this.type = type;
      this.reader = mapper.readerFor(type);
      this.writer = mapper.writerFor(type);
    }

    @Override
    public byte[] encode(V value) {
      return writer.writeValueAsBytes(value);
    }

    @Override
    public V decode(byte[] bytes) {
      V value = reader.readValue(bytes);
      if (value == null) {
        // A stored JSON null: the codec contract never returns null, and a null would read as a
        // hit with no value.
        throw new IllegalArgumentException("stored value is JSON null, not a "
            + type.getRawClass().getSimpleName());
      }
      return value;
    }

    @Override
    public String toString() {
      return "KvJackson3.codec(" + type.getRawClass().getName() + ")";
    }
  }
}
