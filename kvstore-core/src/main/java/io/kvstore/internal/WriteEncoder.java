package io.kvstore.internal;

import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import io.kvstore.KvValidationException;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.internal.codec.CompressingCodec;
import io.kvstore.spi.Expiry;
import io.kvstore.spi.RawWrite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The encode link of a namespace's write path: a value and its put options to the bytes and
 * expiry the store writes, every check done before anything is sent (null value, codec failure,
 * size limit, a TTL instant in the past).
 *
 * @param <V> the value type
 */
final class WriteEncoder<V> {
  private final KvCodec<V> codec;
  private final int maxValueBytes;
  private final TtlPolicy ttl;
  private final Clock clock;

  WriteEncoder(NamespaceOptions<V> options, Clock clock) {
    this.codec = options.codec();
    this.maxValueBytes = options.maxValueBytes();
    this.ttl = options.ttl();
    this.clock = clock;
  }

  /**
   * Encodes one write.
   *
   * @param describe the operation, for messages
   * @param index the entry's position in a batch, or -1 for a single put
   * @throws KvValidationException if the value is null, too large, or breaks a codec rule
   * @throws KvCodecException if the codec fails
   */
  RawWrite encode(String describe, String key, V value, PutOptions putOptions, int index) {
    String subject = index < 0 ? "value" : "value of keys[" + index + "]";
    if (value == null) {
      throw new KvValidationException("value", describe + ": " + subject
          + " is null; delete the key instead of writing null");
    }
    byte[] bytes;
    try {
      bytes = codec.encode(value);
    } catch (KvValidationException e) {
      throw new KvValidationException(e.argument(), describe + ": " + subject + ": "
          + e.getMessage());
    } catch (RuntimeException e) {
      throw new KvCodecException(key, describe + ": " + subject + " could not be encoded by "
          + codec + ": " + ValueDecoder.summarize(e), null);
    }
    if (bytes == null) {
      throw new KvCodecException(key, describe + ": " + subject + " encoded to null by " + codec,
          null);
    }
    int size = Math.max(bytes.length, CompressingCodec.plainSize(codec, bytes));
    if (size > maxValueBytes) {
      throw new KvValidationException("value", describe + ": " + subject + " is "
          + size + " bytes encoded" + (size != bytes.length ? " before compression" : "")
          + "; this namespace accepts at most " + maxValueBytes + " bytes");
    }
    return new RawWrite(key, bytes, expiry(describe, putOptions), putOptions.onlyIfAbsent());
  }

  /**
   * The expiry the namespace's TTL policy gives a key created now, as a put's.
   *
   * @throws KvValidationException if the policy's instant is past
   */
  Expiry expiry(String describe) {
    return expiry(describe, PutOptions.defaults());
  }

  private Expiry expiry(String describe, PutOptions putOptions) {
    if (putOptions.keepsTtl()) {
      return Expiry.KEEP;
    }
    TtlPolicy policy = putOptions.ttl().orElse(ttl);
    return switch (policy.kind()) {
      case NONE -> Expiry.NONE;
      case FIXED, SLIDING -> Expiry.after(Ttls.jittered(policy));
      case AT -> {
        Instant at = policy.instant().orElseThrow();
        Instant now = clock.instant();
        if (!at.isAfter(now)) {
          throw new KvValidationException("ttl", describe + ": ttl instant " + at
              + " is not in the future; the key would be expired when written");
        }
        // The same bound as a fixed TTL, so no store overflows its expiry arithmetic.
        if (Duration.between(now, at).compareTo(TtlPolicy.MAX_TTL) > 0) {
          throw new KvValidationException("ttl", describe + ": ttl instant " + at
              + " is more than " + TtlPolicy.MAX_TTL.toDays() + " days away; TTLs are at most"
              + " TtlPolicy.MAX_TTL");
        }
        yield Expiry.at(at);
      }
    };
  }
}
