package dev.intact.core.qcow2;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.intact.core.image.Extent;
import java.io.IOException;

/**
 * Jazzer fuzz target for the qcow2 reader: the input is a whole qcow2 file, whose header, header
 * extensions, L1 and L2 tables and compressed clusters are followed as {@link Qcow2Image} follows
 * them for {@code intact sum}. A normal test run replays the committed corpus in {@code
 * src/test/resources/dev/intact/core/qcow2/Qcow2FuzzTestInputs} (small images made by qemu-img);
 * {@code scripts/fuzz} fuzzes for real. The only acceptable failures are {@link
 * Qcow2FormatException} (a one-line refusal) and {@link UnsupportedQcow2Exception} (left to qemu).
 */
class Qcow2FuzzTest {
  /** Bounds one input's work: a header may describe an exabyte of data clusters. */
  private static final int MAX_EXTENTS = 64;

  private static final int MAX_READ = 4 << 20;

  @FuzzTest(maxDuration = "60s")
  void read(byte[] data) throws IOException {
    MemoryFile file = new MemoryFile(data);
    try (Qcow2Image image =
        new Qcow2Image(file, null, "fuzz.qcow2", Qcow2Image.header(file, "fuzz.qcow2"))) {
      long read = 0;
      long pos = 0;
      for (int i = 0; i < MAX_EXTENTS && pos < image.size() && read < MAX_READ; i++) {
        Extent x = image.extentAt(pos, image.size());
        if (x.start() != pos || x.end() > image.size()) {
          throw new AssertionError("extent " + x + " asked at " + pos);
        }
        int n = (int) Math.min(x.length(), MAX_READ - read);
        byte[] buf = new byte[n];
        image.readFully(pos, buf, 0, n);
        if (x.zero()) {
          for (byte b : buf) {
            if (b != 0) {
              throw new AssertionError("zero extent " + x + " reads non-zero bytes");
            }
          }
        }
        read += n;
        pos = x.end();
      }
    } catch (Qcow2FormatException | UnsupportedQcow2Exception expected) {
      if (expected.getMessage().contains("\n")) {
        throw new AssertionError("a refusal of more than one line: " + expected.getMessage());
      }
    }
  }

  /** A qcow2 file held in memory. */
  @SuppressWarnings("ArrayRecordComponent") // the fuzzer's input, only read
  private record MemoryFile(byte[] bytes) implements HostFile {
    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public int pread(long position, byte[] dst, int offset, int length) {
      if (position >= bytes.length) {
        return 0;
      }
      int n = (int) Math.min(length, bytes.length - position);
      System.arraycopy(bytes, (int) position, dst, offset, n);
      return n;
    }

    @Override
    public void close() {}
  }
}
