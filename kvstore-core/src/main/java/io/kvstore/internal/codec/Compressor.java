package io.kvstore.internal.codec;

import com.github.luben.zstd.Zstd;
import io.kvstore.Compression;
import io.kvstore.KvValidationException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * One compression algorithm over byte arrays. The libraries are optional dependencies of kvstore:
 * each implementation touches its library's classes only when it is made, so a missing library
 * is a clear error when a codec asks for it, never a class-loading failure elsewhere.
 */
abstract class Compressor {
  /** The id the header stores. */
  abstract byte id();

  /** Compresses {@code plain} whole. */
  abstract byte[] compress(byte[] plain);

  /**
   * Decompresses {@code src[off, off + len)} into all of {@code dst}.
   *
   * @throws IllegalArgumentException if the data is damaged or does not fill {@code dst} exactly
   */
  abstract void decompress(byte[] src, int off, int len, byte[] dst);

  /**
   * Makes the compressor of an algorithm.
   *
   * @throws KvValidationException if the algorithm's library is not on the class path
   */
  static Compressor of(Compression.Algorithm algorithm, int level) {
    try {
      return algorithm == Compression.Algorithm.ZSTD ? new ZstdCompressor(level)
          : new Lz4Compressor();
    } catch (LinkageError missing) {
      String library = algorithm == Compression.Algorithm.ZSTD ? "com.github.luben:zstd-jni"
          : "at.yawk.lz4:lz4-java";
      throw new KvValidationException("compression", algorithm + " compression needs " + library
          + " on the class path (kvstore declares it optional; the kvstore BOM manages its"
          + " version): " + missing);
    }
  }

  /** The algorithm a header id names, or {@code null} for an unknown id. */
  static Compression.Algorithm algorithm(byte id) {
    return switch (id) {
      case ZstdCompressor.ID -> Compression.Algorithm.ZSTD;
      case Lz4Compressor.ID -> Compression.Algorithm.LZ4;
      default -> null;
    };
  }

  private static final class ZstdCompressor extends Compressor {
    static final byte ID = 1;
    private final int level;

    ZstdCompressor(int level) {
      this.level = level;
      Zstd.compressBound(1); // loads the native library now, or fails here
    }

    @Override
    byte id() {
      return ID;
    }

    @Override
    byte[] compress(byte[] plain) {
      return Zstd.compress(plain, level);
    }

    @Override
    void decompress(byte[] src, int off, int len, byte[] dst) {
      long n;
      try {
        n = Zstd.decompressByteArray(dst, 0, dst.length, src, off, len);
      } catch (RuntimeException damaged) { // ZstdException: more output than the header said
        throw new IllegalArgumentException("zstd data is damaged: " + damaged.getMessage());
      }
      if (Zstd.isError(n) || n != dst.length) {
        throw new IllegalArgumentException("zstd data is damaged: "
            + (Zstd.isError(n) ? Zstd.getErrorName(n) : n + " bytes where the header says "
                + dst.length));
      }
    }
  }

  private static final class Lz4Compressor extends Compressor {
    static final byte ID = 2;
    private final LZ4Compressor compressor;
    private final LZ4SafeDecompressor decompressor;

    Lz4Compressor() {
      LZ4Factory factory = LZ4Factory.fastestInstance();
      this.compressor = factory.fastCompressor();
      this.decompressor = factory.safeDecompressor();
    }

    @Override
    byte id() {
      return ID;
    }

    @Override
    byte[] compress(byte[] plain) {
      return compressor.compress(plain);
    }

    @Override
    void decompress(byte[] src, int off, int len, byte[] dst) {
      int n;
      try {
        n = decompressor.decompress(src, off, len, dst, 0, dst.length);
      } catch (RuntimeException damaged) {
        throw new IllegalArgumentException("LZ4 data is damaged: " + damaged.getMessage());
      }
      if (n != dst.length) {
        throw new IllegalArgumentException("LZ4 data is damaged: " + n
            + " bytes where the header says " + dst.length);
      }
    }
  }
}
