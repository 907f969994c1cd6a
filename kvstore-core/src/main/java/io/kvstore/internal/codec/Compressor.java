package io.kvstore.internal.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import io.kvstore.Compression;
import io.kvstore.KvValidationException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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

  /**
   * zstd with reused contexts: making a context costs more than compressing a record of a few
   * hundred bytes (23 µs against 5 µs to compress, 19 µs against 2.5 µs to decompress, measured
   * on the bench's records). A context serves one thread at a time, so each call takes one from
   * a pool and gives it back; the pool grows to the number of threads compressing at once. A
   * context that saw an error is dropped, not reused.
   */
  private static final class ZstdCompressor extends Compressor {
    static final byte ID = 1;
    private final int level;
    private final Queue<ZstdCompressCtx> compressors = new ConcurrentLinkedQueue<>();
    private final Queue<ZstdDecompressCtx> decompressors = new ConcurrentLinkedQueue<>();

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
      ZstdCompressCtx context = compressors.poll();
      if (context == null) {
        context = new ZstdCompressCtx();
        context.setLevel(level);
      }
      byte[] compressed = context.compress(plain);
      compressors.offer(context);
      return compressed;
    }

    @Override
    void decompress(byte[] src, int off, int len, byte[] dst) {
      ZstdDecompressCtx context = decompressors.poll();
      if (context == null) {
        context = new ZstdDecompressCtx();
      }
      int n;
      try {
        n = context.decompressByteArray(dst, 0, dst.length, src, off, len);
      } catch (RuntimeException damaged) { // ZstdException: more output than the header said
        context.close();
        throw new IllegalArgumentException("zstd data is damaged: " + damaged.getMessage());
      }
      decompressors.offer(context);
      if (n != dst.length) {
        throw new IllegalArgumentException("zstd data is damaged: " + n
            + " bytes where the header says " + dst.length);
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
