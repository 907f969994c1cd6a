package io.kvstore;

/**
 * How {@link KvCodec#compressed(KvCodec, Compression)} compresses values: the algorithm, the size
 * below which values stay plain, the zstd level, and the largest size a stored value may claim to
 * decompress to. Immutable; make one with {@link #zstd()} or {@link #lz4()} and adjust it with the
 * {@code with...} methods.
 *
 * <p>Compressed values start with a 7-byte header (a 2-byte mark that is never valid UTF-8, the
 * algorithm, the plain size), so plain and compressed values read back side by side, whatever
 * algorithm wrote them. A plain value that starts with the mark (never JSON or text; possible for
 * raw binary values) is always written compressed, so it cannot be mistaken for one.
 *
 * <p><b>Turning it on and off across a fleet.</b> An instance without the compressing codec
 * cannot read a compressed value. So turn compression on in two deploys: first the compressing
 * codec with {@code withThresholdBytes(NEVER)} everywhere (reads both, writes plain), then the
 * threshold you want. To turn it off, deploy {@code NEVER}; drop the codec once every compressed
 * value has been rewritten or has expired.
 *
 * <p>The algorithms need their library on the class path, which kvstore does not bring:
 * {@code com.github.luben:zstd-jni} for zstd, {@code at.yawk.lz4:lz4-java} for LZ4 (versions in
 * the kvstore BOM). zstd stores less (about half of a JSON record of a few hundred bytes); LZ4
 * costs less CPU and stores more.
 *
 * @param algorithm the algorithm
 * @param level the zstd level (1 to 22; higher is smaller and slower); ignored by LZ4
 * @param thresholdBytes values whose plain encoding is shorter stay plain: compressing a short
 *     value saves little and costs the header
 * @param maxDecompressedBytes the largest plain size a stored value may claim; a value that claims
 *     more is a decode failure for its key, before anything is allocated, so a small stored value
 *     cannot expand into gigabytes. A namespace also refuses values over its
 *     {@code maxValueBytes}, compressed or not
 */
public record Compression(Algorithm algorithm, int level, int thresholdBytes,
    int maxDecompressedBytes) {
  /** The zstd level used unless set: zstd's own default. */
  public static final int DEFAULT_ZSTD_LEVEL = 3;

  /** Values shorter than this stay plain unless set, in bytes. */
  public static final int DEFAULT_THRESHOLD_BYTES = 256;

  /**
   * The threshold that compresses nothing: new values are written plain and compressed ones
   * still read. The first step of turning compression on across instances that cannot all be
   * updated at once, and the way to turn it off without losing what is stored.
   */
  public static final int NEVER = Integer.MAX_VALUE;

  /** The compression algorithms. */
  public enum Algorithm {
    /** Zstandard ({@code com.github.luben:zstd-jni}). */
    ZSTD,
    /** LZ4 block format ({@code at.yawk.lz4:lz4-java}). */
    LZ4
  }

  /**
   * Checks the settings.
   *
   * @param algorithm the algorithm
   * @param level the zstd level
   * @param thresholdBytes the plain-size threshold
   * @param maxDecompressedBytes the decompressed-size limit
   * @throws KvValidationException if {@code algorithm} is null, {@code level} is outside 1 to 22,
   *     {@code thresholdBytes} is negative or {@code maxDecompressedBytes} is below 1
   */
  public Compression {
    if (algorithm == null) {
      throw new KvValidationException("algorithm", "compression algorithm must not be null");
    }
    if (level < 1 || level > 22) {
      throw new KvValidationException("level", "zstd level is " + level + "; it must be 1 to 22");
    }
    if (thresholdBytes < 0) {
      throw new KvValidationException("thresholdBytes", "thresholdBytes is " + thresholdBytes
          + "; it must be >= 0");
    }
    if (maxDecompressedBytes < 1) {
      throw new KvValidationException("maxDecompressedBytes", "maxDecompressedBytes is "
          + maxDecompressedBytes + "; it must be >= 1");
    }
  }

  /**
   * Returns zstd at level {@value #DEFAULT_ZSTD_LEVEL}, values of
   * {@value #DEFAULT_THRESHOLD_BYTES} bytes and more, at most
   * {@link NamespaceOptions#DEFAULT_MAX_VALUE_BYTES} decompressed.
   *
   * @return the settings
   */
  public static Compression zstd() {
    return new Compression(Algorithm.ZSTD, DEFAULT_ZSTD_LEVEL, DEFAULT_THRESHOLD_BYTES,
        NamespaceOptions.DEFAULT_MAX_VALUE_BYTES);
  }

  /**
   * Returns LZ4 for values of {@value #DEFAULT_THRESHOLD_BYTES} bytes and more, at most
   * {@link NamespaceOptions#DEFAULT_MAX_VALUE_BYTES} decompressed.
   *
   * @return the settings
   */
  public static Compression lz4() {
    return new Compression(Algorithm.LZ4, DEFAULT_ZSTD_LEVEL, DEFAULT_THRESHOLD_BYTES,
        NamespaceOptions.DEFAULT_MAX_VALUE_BYTES);
  }

  /**
   * Returns these settings with another zstd level.
   *
   * @param level 1 to 22
   * @return the settings
   * @throws KvValidationException if {@code level} is outside 1 to 22
   */
  public Compression withLevel(int level) {
    return new Compression(algorithm, level, thresholdBytes, maxDecompressedBytes);
  }

  /**
   * Returns these settings with another threshold.
   *
   * @param thresholdBytes values whose plain encoding is shorter stay plain; 0 compresses all
   * @return the settings
   * @throws KvValidationException if {@code thresholdBytes} is negative
   */
  public Compression withThresholdBytes(int thresholdBytes) {
    return new Compression(algorithm, level, thresholdBytes, maxDecompressedBytes);
  }

  /**
   * Returns these settings with another decompressed-size limit.
   *
   * @param maxDecompressedBytes at least 1
   * @return the settings
   * @throws KvValidationException if {@code maxDecompressedBytes} is below 1
   */
  public Compression withMaxDecompressedBytes(int maxDecompressedBytes) {
    return new Compression(algorithm, level, thresholdBytes, maxDecompressedBytes);
  }
}
