package io.kvstore.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import io.kvstore.KvResult;
import io.kvstore.NamespaceOptions;
import io.kvstore.internal.codec.CompressingCodec;
import io.kvstore.internal.codec.VersionedCodec;
import io.kvstore.spi.RawValue;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The decode link of a namespace: stored bytes to results, one key at a time, so a value that
 * cannot be decoded fails its own key and nothing else, whatever the codec throws (an
 * {@link Error} from a migration or a stack overflow on a deep value included). Where decoding
 * runs is the store's {@link Decoder}'s to say. Messages never quote a value.
 *
 * @param <V> the value type
 */
final class ValueDecoder<V> {
  @SuppressWarnings("rawtypes")
  private static final KvResult.Missing MISSING = new KvResult.Missing<>();

  private final KvCodec<V> codec;
  private final int maxValueBytes;
  private final Decoder decoder;
  private final boolean logKeys;

  ValueDecoder(NamespaceOptions<V> options, Decoder decoder, boolean logKeys) {
    this.codec = options.codec();
    this.maxValueBytes = options.maxValueBytes();
    this.decoder = decoder;
    this.logKeys = logKeys;
  }

  /** The result of a missing key: one shared instance. */
  @SuppressWarnings("unchecked")
  static <V> KvResult<V> missing() {
    return MISSING;
  }

  /**
   * Decodes a read's values, inline when small, else off the thread that completed the read.
   *
   * @param describe the operation, for messages
   * @param keys the keys read
   * @param values what the store returned, aligned with {@code keys}; {@code null} when missing
   * @return one result per key
   */
  @SuppressWarnings("unchecked")
  CompletableFuture<List<KvResult<V>>> decodeAll(String describe, List<String> keys,
      List<RawValue> values) {
    // The decoder's list holds exactly these results: cast, rather than a stage to copy it.
    return (CompletableFuture<List<KvResult<V>>>) (CompletableFuture<?>) decoder.decode(
        values.size(),
        i -> values.get(i) == null ? 0 : CompressingCodec.plainSize(codec, values.get(i).bytes()),
        i -> values.get(i) == null ? missing()
            : result(describe, keys.get(i), values.get(i).bytes()));
  }

  /** The value stored under {@code key}, or its failure. */
  KvResult<V> result(String describe, String key, byte[] bytes) {
    try {
      return new KvResult.Found<>(decode(describe, key, bytes));
    } catch (KvCodecException e) {
      return new KvResult.Failed<>(e);
    }
  }

  private V decode(String describe, String key, byte[] bytes) {
    int size = CompressingCodec.plainSize(codec, bytes);
    if (size > maxValueBytes) {
      throw new KvCodecException(key, describe + ": stored value of " + keyForMessage(key)
          + " is " + size + " bytes" + (size != bytes.length ? " decompressed" : "")
          + "; this namespace reads at most " + maxValueBytes, null);
    }
    V value;
    try {
      value = codec.decode(bytes);
    } catch (RuntimeException | Error e) {
      throw new KvCodecException(key, describe + ": stored value of " + keyForMessage(key)
          + " could not be decoded by " + codec + ": "
          // The versioned codec's messages (versions, migration steps) never quote the value;
          // any other codec's might.
          + (e instanceof KvCodecException own && (codec instanceof VersionedCodec
              || codec instanceof CompressingCodec) ? own.getMessage() : summarize(e)), null);
    }
    if (value == null) {
      throw new KvCodecException(key, describe + ": stored value of " + keyForMessage(key)
          + " decoded to null by " + codec, null);
    }
    return value;
  }

  private String keyForMessage(String key) {
    return logKeys ? "key '" + Keys.abbreviate(key) + "'" : "a key (redacted)";
  }

  /**
   * Describes a codec failure without its message: Jackson messages quote the offending input,
   * which is part of a value and may hold personal data. The type and location are enough to
   * find the problem; the cause is dropped for the same reason.
   */
  static String summarize(Throwable e) {
    Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
    String summary = t.getClass().getSimpleName();
    if (t instanceof JsonProcessingException json && json.getLocation() != null) {
      summary += " at line " + json.getLocation().getLineNr()
          + ", column " + json.getLocation().getColumnNr();
    }
    return summary;
  }
}
