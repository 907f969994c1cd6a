package io.kvstore.internal;

import io.kvstore.CounterOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import io.kvstore.KvCount;
import io.kvstore.KvValidationException;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.RawCount;
import io.kvstore.spi.RawIncrement;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The counter link of a namespace: {@code increment} over {@link KvBackend#increment}.
 *
 * <p><b>Stored form.</b> A counter is stored as the canonical decimal text of a {@code long},
 * the form Redis's {@code INCRBY} reads and writes, so a Redis script can add atomically and any
 * client sees a number. That text is also valid JSON, so a {@code KvNamespace<Long>} with the
 * JSON codec reads counters with {@code get} and {@code getAll}, and a {@code put} of a
 * {@code Long} writes a counter. A namespace whose codec writes numbers otherwise (compressed,
 * with a schema version, binary) could not read what an increment stores, so {@code increment}
 * refuses it before sending anything. Whether a codec qualifies is found once, by asking it to
 * read and write back a few numbers' decimal texts: no list of known codecs to keep in step.
 *
 * <p><b>Outcomes.</b> A refused bounded increment is an outcome ({@link KvCount#applied()}); a
 * key holding something that is not a counter fails with {@link KvCodecException}, an overflow
 * with {@link KvValidationException}: both name the key (redacted unless key logging is on),
 * and in both the store changed nothing.
 */
final class Counters {
  /** Decimal texts a counter codec must read as numbers and write back byte for byte. */
  private static final long[] PROBES = {0, -1, 42, Long.MAX_VALUE, Long.MIN_VALUE};

  private final KvBackend backend;
  private final BackendNamespace ns;
  private final WriteEncoder<?> encoder;
  private final boolean logKeys;
  private final KvCodec<?> codec;
  /**
   * Why the codec cannot hold counters, or empty if it can; null until first needed. Racy
   * single check: two threads may both probe, and find the same answer.
   */
  private volatile String refusal;

  <V> Counters(KvBackend backend, BackendNamespace ns, KvCodec<V> codec,
      WriteEncoder<V> encoder, boolean logKeys) {
    this.backend = backend;
    this.ns = ns;
    this.encoder = encoder;
    this.logKeys = logKeys;
    this.codec = codec;
  }

  /**
   * Checks the call before anything is sent and returns the store's increment.
   *
   * @throws KvValidationException if the codec cannot hold counters, or the TTL policy's
   *     instant is past
   */
  RawIncrement prepare(String describe, String key, long delta, CounterOptions options) {
    String why = refusal;
    if (why == null) {
      why = refusal(codec);
      refusal = why;
    }
    if (!why.isEmpty()) {
      throw new KvValidationException("codec", describe + ": " + why + "; counters are stored"
          + " as the decimal text of a long (42), so use a namespace of Long with"
          + " KvCodec.json(Long.class), without compression or schema");
    }
    return new RawIncrement(key, delta, options.min(), options.max(),
        encoder.expiry(describe));
  }

  /** One increment: one round trip. */
  CompletableFuture<RawCount> run(Operation op, RawIncrement increment) {
    return backend.increment(op, ns, increment);
  }

  /**
   * The caller's outcome of a store's answer.
   *
   * @throws KvCodecException if the key holds something other than a counter
   * @throws KvValidationException if the result would overflow
   */
  KvCount outcome(String describe, RawIncrement increment, RawCount count) {
    String subject = logKeys ? "key '" + Keys.abbreviate(increment.key()) + "'"
        : "a key (redacted)";
    return switch (count.status()) {
      case APPLIED -> new KvCount(count.value(), true);
      case REFUSED -> new KvCount(count.value(), false);
      case NOT_A_NUMBER -> throw new KvCodecException(increment.key(), describe + ": " + subject
          + " holds a value that is not a counter (the decimal text of a long); nothing was"
          + " changed", null);
      case OVERFLOW -> throw new KvValidationException("delta", describe + ": " + subject
          + " holds " + count.value() + "; adding " + increment.delta() + " would overflow a"
          + " signed 64-bit counter; nothing was changed");
    };
  }

  private static <V> String refusal(KvCodec<V> codec) {
    for (long probe : PROBES) {
      byte[] text = Long.toString(probe).getBytes(StandardCharsets.US_ASCII);
      try {
        V value = codec.decode(text);
        if (!(value instanceof Number)) {
          return "the namespace's codec " + codec + " does not read " + probe + " as a number";
        }
        if (!Arrays.equals(codec.encode(value), text)) {
          return "the namespace's codec " + codec + " does not write " + probe
              + " as its decimal text";
        }
      } catch (RuntimeException e) {
        return "the namespace's codec " + codec + " cannot read " + probe + " ("
            + ValueDecoder.summarize(e) + ")";
      }
    }
    return "";
  }
}
