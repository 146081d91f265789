package dev.intact.core.flash;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Decodes a gzip file as {@code gzip -d} does: every concatenated member in turn, trailing zero
 * bytes ignored (tape padding: {@code gzip -t} accepts them), and anything else after the last
 * member refused ({@code gzip -t} says "trailing garbage ignored" and exits 2). The JDK's {@code
 * GZIPInputStream} drops such bytes silently, so a file with garbage appended flashed with exit 0.
 */
final class GzipMembersInputStream extends InputStream {
  private static final int MAGIC0 = 0x1f;
  private static final int MAGIC1 = 0x8b;

  private final BufferedInputStream in;
  private GzipCompressorInputStream member;

  GzipMembersInputStream(InputStream compressed) throws IOException {
    this.in = new BufferedInputStream(compressed, 64 * 1024);
    // Without concatenation the decoder rewinds its mark to just past its member's trailer.
    this.member = member(in);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (member != null) {
      int n = member.read(b, off, len);
      if (n >= 0) {
        return n;
      }
      member = nextMember();
    }
    return -1;
  }

  private static GzipCompressorInputStream member(InputStream in) throws IOException {
    return GzipCompressorInputStream.builder()
        .setInputStream(in)
        .setDecompressConcatenated(false)
        .get();
  }

  /** The member after the one that ended, or null at a clean end. */
  private GzipCompressorInputStream nextMember() throws IOException {
    in.mark(2);
    int a = in.read();
    if (a < 0) {
      return null;
    }
    int b = in.read();
    if (a == MAGIC0 && b == MAGIC1) {
      in.reset();
      return member(in);
    }
    // Only zeros may follow, up to the end.
    if (a != 0) {
      throw garbage();
    }
    for (int c = b; c >= 0; c = in.read()) {
      if (c != 0) {
        throw garbage();
      }
    }
    return null;
  }

  private static IOException garbage() {
    return new IOException("trailing garbage after the last gzip member (gzip -t refuses it too)");
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
