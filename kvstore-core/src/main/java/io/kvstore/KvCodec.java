package io.kvstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvstore.internal.codec.Codecs;
import io.kvstore.internal.codec.CompressingCodec;
import io.kvstore.internal.codec.JacksonCodec;
import io.kvstore.internal.codec.VersionedCodec;

/**
 * Turns values into bytes and back. Implementations must be thread-safe. A codec may throw any
 * runtime exception; the namespace reports it as a {@link KvCodecException} for that key alone.
 *
 * @param <V> the value type
 */
public interface KvCodec<V> {
  /**
   * Encodes a value.
   *
   * @param value the value, never null
   * @return its bytes
   */
  byte[] encode(V value);

  /**
   * Decodes stored bytes. A store may decode the same bytes twice and keep one result (when a
   * decode thread stalls, see {@link DecodeOptions}), so decoding should have no side effects.
   *
   * @param bytes the stored bytes, never null
   * @return the value, never null
   */
  V decode(byte[] bytes);

  /**
   * Returns a JSON codec on Jackson with safe defaults: records, {@code java.time} and
   * {@code Optional} types work without annotations, dates are ISO-8601 strings, and no
   * polymorphic default typing is ever enabled (a stored {@code @class} cannot choose a type).
   * Whatever it writes within the namespace's {@code maxValueBytes} it reads back: Jackson's
   * limits on string, number and property-name length are lifted (the byte limit bounds them),
   * and nesting is limited to depth 1000 on write and read alike.
   *
   * <p>Reads are lenient so that values survive rolling deploys: properties the type does not
   * have (a newer writer's) are ignored, and properties the stored value lacks (an older
   * writer's) read as absent: {@code null}, {@code Optional.empty()} or the primitive's default.
   * {@link JsonOptions.Builder#strict(boolean)} makes both fail instead.
   *
   * @param type the value class
   * @param <V> the value type
   * @return the codec
   * @throws KvValidationException if {@code type} is null
   */
  static <V> KvCodec<V> json(Class<V> type) {
    return json(type, JsonOptions.defaults());
  }

  /**
   * Returns the JSON codec of {@link #json(Class)} with settings: strict reads, or values that
   * carry a schema version and are migrated on read ({@link SchemaOptions}).
   *
   * @param type the value class; with a schema, encoded as a JSON object
   * @param options strictness and schema
   * @param <V> the value type
   * @return the codec
   * @throws KvValidationException if an argument is null, or {@code type} has a property named as
   *     the schema's version property
   */
  static <V> KvCodec<V> json(Class<V> type, JsonOptions options) {
    if (type == null || options == null) {
      throw new KvValidationException(type == null ? "type" : "options",
          "value type and JSON options must not be null");
    }
    return options.schema().<KvCodec<V>>map(s -> new VersionedCodec<>(type, s, options.strict()))
        .orElseGet(() -> JacksonCodec.builtIn(type, options.strict()));
  }

  /**
   * Returns a JSON codec on a mapper of your own (the mapper is used as given). Its read limits
   * apply as configured: Jackson's defaults (strings of 20,000,000 characters, numbers of 1,000
   * digits) are narrower than what it writes, so raise them with
   * {@code JsonFactory.builder().streamReadConstraints(...)} if values may be that large, or a
   * value could be written and never read back.
   *
   * @param type the value class
   * @param mapper the mapper; keep default typing off unless every writer is trusted
   * @param <V> the value type
   * @return the codec
   */
  static <V> KvCodec<V> json(Class<V> type, ObjectMapper mapper) {
    return new JacksonCodec<>(mapper, type);
  }

  /**
   * Returns a codec that compresses what {@code codec} encodes; see {@link Compression} for the
   * stored format, the limits and the library each algorithm needs. Works with any codec: the
   * JSON codec with or without a schema (migrations and read repair included), text, bytes or
   * one of your own. Plain values already stored (or written by other clients) read back as they
   * are.
   *
   * @param codec the codec whose bytes are compressed
   * @param compression the algorithm and limits, such as {@link Compression#zstd()}
   * @param <V> the value type
   * @return the codec
   * @throws KvValidationException if an argument is null, or the algorithm's library is not on
   *     the class path
   */
  static <V> KvCodec<V> compressed(KvCodec<V> codec, Compression compression) {
    if (codec == null || compression == null) {
      throw new KvValidationException(codec == null ? "codec" : "compression",
          "codec and compression must not be null");
    }
    return new CompressingCodec<>(codec, compression);
  }

  /**
   * Returns a codec for UTF-8 text. Malformed stored bytes fail to decode rather than being
   * replaced.
   *
   * @return the codec
   */
  static KvCodec<String> utf8() {
    return Codecs.UTF8;
  }

  /**
   * Returns the identity codec for raw bytes (arrays are copied neither way).
   *
   * @return the codec
   */
  static KvCodec<byte[]> bytes() {
    return Codecs.BYTES;
  }
}
