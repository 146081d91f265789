package dev.intact.core.qcow2;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses one compressed qcow2 cluster: raw deflate (compression type 0, zlib) or a zstd frame
 * (type 1). The stored bytes run to the end of a 512-byte sector, so they may end with bytes of the
 * next compressed cluster: decompression stops once it has produced one cluster, which it must
 * produce in full. Each thread keeps its own decoder (the block-hash workers decompress in
 * parallel).
 */
final class ClusterDecompressor {
  private static final ThreadLocal<Inflater> INFLATERS =
      ThreadLocal.withInitial(() -> new Inflater(true));
  private static final ThreadLocal<ZstdDecompressCtx> ZSTD =
      ThreadLocal.withInitial(ZstdDecompressCtx::new);

  private final int compressionType;

  ClusterDecompressor(int compressionType) {
    this.compressionType = compressionType;
  }

  /**
   * Decompresses {@code src[0, length)} into exactly {@code dst[at, at + size)}.
   *
   * @return null on success, or what is wrong with the compressed bytes
   */
  String decompress(byte[] src, int length, byte[] dst, int at, int size) {
    return compressionType == 0
        ? inflate(src, length, dst, at, size)
        : unzstd(src, length, dst, at, size);
  }

  private static String inflate(byte[] src, int length, byte[] dst, int at, int size) {
    Inflater inflater = INFLATERS.get();
    inflater.reset();
    inflater.setInput(src, 0, length);
    int done = 0;
    try {
      while (done < size) {
        int n = inflater.inflate(dst, at + done, size - done);
        done += n;
        if (n == 0
            && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
      }
    } catch (DataFormatException e) {
      return "its deflate data is corrupt (" + e.getMessage() + ")";
    }
    return done == size ? null : "it inflates to " + done + " bytes, not a cluster";
  }

  private static String unzstd(byte[] src, int length, byte[] dst, int at, int size) {
    long n;
    try {
      long frame = Zstd.findFrameCompressedSize(src, 0, length);
      n = ZSTD.get().decompressByteArray(dst, at, size, src, 0, (int) frame);
    } catch (ZstdException e) {
      return "its zstd frame is corrupt (" + e.getMessage() + ")";
    }
    return n == size ? null : "its zstd frame holds " + n + " bytes, not a cluster";
  }
}
