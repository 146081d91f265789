package dev.intact.core.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import dev.intact.core.image.ForwardingImage;
import dev.intact.core.image.Image;
import dev.intact.core.image.LocalImage;
import dev.intact.core.image.RangeOutOfBoundsException;
import dev.intact.core.posix.NativeIoException;
import dev.intact.core.posix.Posix;
import dev.intact.core.testing.SparseImage;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChecksumEngineErrorsTest {
  private static final int MIB = 1 << 20;

  @TempDir Path dir;

  /** An image whose reads fail from {@code failAt} on, as a bad sector would. */
  private static final class FailingImage extends ForwardingImage {
    private final long failAt;

    FailingImage(Image delegate, long failAt) {
      super(delegate);
      this.failAt = failAt;
    }

    @Override
    public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
      if (position + length > failAt) {
        throw new NativeIoException("pread", name(), Posix.EIO, Posix.strerror(Posix.EIO));
      }
      delegate().readFully(position, dst, offset, length);
    }
  }

  /** An image that claims more bytes than its file has, as a file truncated under us would. */
  private static final class LongerImage extends ForwardingImage {
    private final long extra;

    LongerImage(Image delegate, long extra) {
      super(delegate);
      this.extra = extra;
    }

    @Override
    public long size() throws IOException {
      return delegate().size() + extra;
    }

    @Override
    public Extent extentAt(long position, long end) {
      return new Extent(position, end - position, false);
    }
  }

  @AfterEach
  void noWorkerOutlivesItsComputation() {
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(
            t -> t.getName().startsWith("intact-hash-") || t.getName().startsWith("intact-read-"));
  }

  private Path randomFile(long size) throws IOException {
    return SparseImage.builder().data(size, 3).build().writeTo(dir.resolve("data.img"));
  }

  @Test
  void aRangePastTheEndIsAnErrorNotAShortRead() throws IOException {
    Path file = randomFile(100);
    try (LocalImage image = LocalImage.openRead(file)) {
      assertThatThrownBy(
              () ->
                  ChecksumEngine.withThreads(2)
                      .compute(
                          image,
                          ChecksumType.DEFAULT,
                          new ByteRange(50, 101),
                          ProgressListener.NONE))
          .isInstanceOf(RangeOutOfBoundsException.class)
          .hasMessage("range [50, 101) is outside " + file + " (size 100 bytes)");
    }
  }

  @Test
  void readsStartedAheadFailAsThemselvesAndAreStartedOnlyForData() throws IOException {
    Path file = dir.resolve("sparse.img");
    SparseImage.builder().data(3 * MIB, 5).hole(4 * MIB).data(2 * MIB, 6).build().writeTo(file);
    ChecksumEngine engine = ChecksumEngine.withThreads(2).withChunkSize(MIB);
    try (LateReadsImage image = new LateReadsImage(LocalImage.openRead(file));
        LocalImage plain = LocalImage.openRead(file)) {
      assertThat(
              engine
                  .compute(
                      image, ChecksumType.DEFAULT, ByteRange.whole(9 * MIB), ProgressListener.NONE)
                  .value())
          .isEqualTo(
              engine
                  .compute(
                      plain, ChecksumType.DEFAULT, ByteRange.whole(9 * MIB), ProgressListener.NONE)
                  .value());
      assertThat(image.started())
          .as("one read per 1 MiB segment of data, none in the hole")
          .isEqualTo(5);
    }
    try (Image image = new LateReadsImage(new FailingImage(LocalImage.openRead(file), 8 * MIB))) {
      assertThatThrownBy(
              () ->
                  engine.compute(
                      image, ChecksumType.DEFAULT, ByteRange.whole(9 * MIB), ProgressListener.NONE))
          .isInstanceOf(NativeIoException.class)
          .hasMessage("pread on " + file + " failed: Input/output error");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"blkhash", "imageio:sha1", "sha256"})
  void aReadFailureSurfacesAsItself(String type) throws IOException {
    Path file = randomFile(9 * MIB);
    for (int threads : new int[] {1, 3}) {
      try (Image image = new FailingImage(LocalImage.openRead(file), 6 * MIB)) {
        assertThatThrownBy(
                () ->
                    ChecksumEngine.withThreads(threads)
                        .withChunkSize(MIB)
                        .compute(
                            image,
                            ChecksumType.parse(type, OptionalLong.empty()),
                            ByteRange.whole(9 * MIB),
                            ProgressListener.NONE))
            .isInstanceOf(NativeIoException.class)
            .hasMessage("pread on " + file + " failed: Input/output error");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"blkhash", "sha256"})
  void anImageShorterThanItsSizeIsAnEndOfFileNamingIt(String type) throws IOException {
    Path file = randomFile(3 * MIB);
    try (Image image = new LongerImage(LocalImage.openRead(file), 4096)) {
      assertThatThrownBy(
              () ->
                  ChecksumEngine.withThreads(2)
                      .withChunkSize(MIB)
                      .compute(
                          image,
                          ChecksumType.parse(type, OptionalLong.empty()),
                          ByteRange.whole(image.size()),
                          ProgressListener.NONE))
          .isInstanceOf(EOFException.class)
          .hasMessageContaining(file.toString());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"blkhash", "sha256"})
  void aStreamFailureSurfacesAsItself(String type) {
    InputStream failing =
        new InputStream() {
          private int left = 3 * MIB;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
              throw new IOException("stdin: connection reset");
            }
            int n = Math.min(len, left);
            left -= n;
            return n;
          }
        };
    assertThatThrownBy(
            () ->
                ChecksumEngine.withThreads(2)
                    .withChunkSize(MIB)
                    .compute(
                        failing,
                        ChecksumType.parse(type, OptionalLong.empty()),
                        ProgressListener.NONE))
        .isInstanceOf(IOException.class)
        .hasMessage("stdin: connection reset");
  }

  @Test
  void aThreadCountBelowOneIsRefused() {
    assertThatThrownBy(() -> ChecksumEngine.withThreads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("thread count must be at least 1, not 0");
  }
}
