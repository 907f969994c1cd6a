package io.kvstore.internal.codec;

import io.kvstore.Compression;
import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import java.util.EnumMap;
import java.util.Map;

/**
 * Compresses another codec's bytes (see {@link Compression} for the format and its promises).
 * A value is decompressed with the algorithm its header names, whatever this codec writes, so a
 * namespace can move from one algorithm to the other, or off compression, and keep reading.
 *
 * @param <V> the value type
 */
public final class CompressingCodec<V> implements KvCodec<V>, Upgrading {
  /** The two bytes a compressed value starts with: {@code 0xF5} never occurs in UTF-8. */
  private static final byte MARK_0 = 0x00;
  private static final byte MARK_1 = (byte) 0xF5;
  /** Mark, algorithm id, plain size (4 bytes, big-endian). */
  static final int HEADER_BYTES = 7;

  private final KvCodec<V> inner;
  private final Compression settings;
  private final Compressor writer;
  /** Decompressors by algorithm, made on first use: a value may name another than we write. */
  private final Map<Compression.Algorithm, Compressor> readers =
      new EnumMap<>(Compression.Algorithm.class);

  /**
   * Wraps a codec.
   *
   * @param inner the codec whose bytes are compressed
   * @param settings the algorithm and limits
   * @throws io.kvstore.KvValidationException if the algorithm's library is missing
   */
  public CompressingCodec(KvCodec<V> inner, Compression settings) {
    this.inner = inner;
    this.settings = settings;
    this.writer = Compressor.of(settings.algorithm(), settings.level());
    readers.put(settings.algorithm(), writer);
  }

  @Override
  public byte[] encode(V value) {
    return compress(inner.encode(value));
  }

  @Override
  public V decode(byte[] bytes) {
    return inner.decode(plain(bytes));
  }

  /**
   * Returns how large a stored value is once a codec decompresses it, from its header alone:
   * what a namespace's {@code maxValueBytes} and a near cache's weight count.
   *
   * @param codec the namespace's codec
   * @param stored the stored bytes
   * @return the plain size; the stored size unless {@code codec} compresses
   */
  public static int plainSize(KvCodec<?> codec, byte[] stored) {
    return codec instanceof CompressingCodec<?> && compressed(stored)
        ? Integer.toUnsignedLong(sizeOf(stored)) > Integer.MAX_VALUE ? Integer.MAX_VALUE
            : sizeOf(stored)
        : stored.length;
  }

  @Override
  public byte[] upgraded(byte[] stored) {
    if (!(inner instanceof Upgrading versioned)) {
      return null;
    }
    byte[] plain;
    try {
      plain = plain(stored);
    } catch (RuntimeException unreadable) {
      return null; // the read reports it
    }
    byte[] upgraded = versioned.upgraded(plain);
    return upgraded == null ? null : compress(upgraded);
  }

  @Override
  public boolean readRepair() {
    return inner instanceof Upgrading versioned && versioned.readRepair();
  }

  private byte[] compress(byte[] plain) {
    boolean mustWrap = compressed(plain); // a plain value that looks compressed is always wrapped
    if (plain.length < settings.thresholdBytes() && !mustWrap) {
      return plain;
    }
    byte[] body = writer.compress(plain);
    if (HEADER_BYTES + body.length >= plain.length && !mustWrap) {
      return plain; // incompressible: storing it plain is smaller and cheaper to read
    }
    byte[] out = new byte[HEADER_BYTES + body.length];
    out[0] = MARK_0;
    out[1] = MARK_1;
    out[2] = writer.id();
    int n = plain.length;
    out[3] = (byte) (n >>> 24);
    out[4] = (byte) (n >>> 16);
    out[5] = (byte) (n >>> 8);
    out[6] = (byte) n;
    System.arraycopy(body, 0, out, HEADER_BYTES, body.length);
    return out;
  }

  private byte[] plain(byte[] stored) {
    if (!compressed(stored)) {
      return stored;
    }
    int size = sizeOf(stored);
    if (size < 0 || size > settings.maxDecompressedBytes()) {
      throw new KvCodecException(null, "the stored value claims " + Integer.toUnsignedString(size)
          + " bytes decompressed; this codec reads at most " + settings.maxDecompressedBytes()
          + " (Compression.maxDecompressedBytes)", null);
    }
    Compression.Algorithm algorithm = Compressor.algorithm(stored[2]);
    if (algorithm == null) {
      throw new KvCodecException(null, "the stored value names compression algorithm "
          + stored[2] + ", which this kvstore does not know (written by a newer one?)", null);
    }
    byte[] plain = new byte[size];
    try {
      reader(algorithm).decompress(stored, HEADER_BYTES, stored.length - HEADER_BYTES, plain);
    } catch (IllegalArgumentException damaged) {
      throw new KvCodecException(null, "the stored compressed value is damaged: "
          + damaged.getMessage(), null);
    }
    return plain;
  }

  private Compressor reader(Compression.Algorithm algorithm) {
    if (algorithm == settings.algorithm()) {
      return writer; // the common case, without the lock
    }
    synchronized (readers) {
      return readers.computeIfAbsent(algorithm, a -> Compressor.of(a, settings.level()));
    }
  }

  private static boolean compressed(byte[] bytes) {
    return bytes.length >= HEADER_BYTES && bytes[0] == MARK_0 && bytes[1] == MARK_1;
  }

  private static int sizeOf(byte[] stored) {
    return (stored[3] & 0xFF) << 24 | (stored[4] & 0xFF) << 16 | (stored[5] & 0xFF) << 8
        | (stored[6] & 0xFF);
  }

  @Override
  public String toString() {
    return "KvCodec.compressed(" + inner + ", " + settings.algorithm().name().toLowerCase()
        + (settings.algorithm() == Compression.Algorithm.ZSTD ? " level " + settings.level() : "")
        + ", from " + settings.thresholdBytes() + " bytes)";
  }
}
