package io.kvstore.spring.boot.autoconfigure;

import io.kvstore.Compression;
import io.kvstore.KvCodec;
import io.kvstore.jackson3.KvJackson3;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON codecs on the application's Jackson 3 {@link JsonMapper}, so namespace values are written
 * as the application writes JSON elsewhere (same modules, naming, features). Auto-configured when
 * Jackson 3 and kvstore-jackson3 are on the class path and a {@code JsonMapper} bean exists:
 *
 * <pre>{@code
 * @Bean
 * KvNamespace<Workout> workouts(KvStore store, KvJsonCodecs json) {
 *   return store.namespace(NamespaceOptions.builder("workout", json.codec(Workout.class)).build());
 * }
 * }</pre>
 *
 * <p>When kvstore.compression.algorithm is set, the codecs compress (see {@link Compression}).
 * Thread-safe. Versioned namespaces ({@code SchemaOptions}) need kvstore-core's own JSON codec,
 * {@code KvCodec.json(type, JsonOptions.builder().schema(...).build())}.
 */
public final class KvJsonCodecs {
  private final JsonMapper mapper;
  private final @Nullable Compression compression;

  /**
   * Wraps a mapper.
   *
   * @param mapper the application's mapper, used as given
   */
  public KvJsonCodecs(JsonMapper mapper) {
    this(mapper, null);
  }

  /**
   * Wraps a mapper, compressing what it encodes.
   *
   * @param mapper the application's mapper, used as given
   * @param compression the compression, or {@code null} for none
   */
  public KvJsonCodecs(JsonMapper mapper, @Nullable Compression compression) {
    this.mapper = mapper;
    this.compression = compression;
  }

  /**
   * Returns a JSON codec for {@code type} on the application's mapper.
   *
   * @param type the value class
   * @param <V> the value type
   * @return the codec
   * @throws io.kvstore.KvValidationException if {@code type} is null
   */
  public <V> KvCodec<V> codec(Class<V> type) {
    KvCodec<V> json = KvJackson3.codec(mapper, type);
    return compression == null ? json : KvCodec.compressed(json, compression);
  }
}
