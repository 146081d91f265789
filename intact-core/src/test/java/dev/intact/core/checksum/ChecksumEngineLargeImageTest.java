package dev.intact.core.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.Hasher;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.LocalImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offsets past 4 GiB: a 1 TiB sparse image with data at its very end. */
class ChecksumEngineLargeImageTest {
  private static final long TIB = 1L << 40;
  private static final int BLOCK = 4 << 20;
  private static final byte[] TAIL = {1, 2, 3};

  @TempDir Path dir;

  private Path tebibyteEndingInData() throws IOException {
    Path file = dir.resolve("tib.img");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(TIB);
      raf.seek(TIB - 5);
      raf.write(TAIL);
    }
    return file;
  }

  @Test
  void imageioOverATebibyteHashesOnlyItsLastBlock() throws IOException {
    HashAlgorithm sha1 = Algorithms.byName("sha1");
    ChecksumType type = ChecksumType.parse("imageio:sha1", OptionalLong.empty());

    byte[] zeroBlockDigest = sha1.hash(new byte[BLOCK]).toBytes();
    byte[] last = new byte[BLOCK];
    System.arraycopy(TAIL, 0, last, BLOCK - 5, 3);
    Hasher outer = sha1.newHasher();
    for (long i = 0; i < TIB / BLOCK - 1; i++) {
      outer.update(zeroBlockDigest);
    }
    outer.update(sha1.hash(last).toBytes());

    try (LocalImage image = LocalImage.openRead(tebibyteEndingInData())) {
      Checksum c =
          ChecksumEngine.withThreads(2)
              .compute(image, type, ByteRange.whole(TIB), ProgressListener.NONE);
      assertThat(c.value()).isEqualTo(outer.finish());
      assertThat(c.size()).isEqualTo(TIB);
    }
  }

  @Test
  void anUnalignedRangeNearTheEndEqualsTheNaiveValue() throws IOException {
    ByteRange range = new ByteRange(TIB - (10 << 20) + 7, TIB - 1);
    ChecksumType type = ChecksumType.DEFAULT;
    try (LocalImage image = LocalImage.openRead(tebibyteEndingInData())) {
      byte[] bytes = new byte[(int) range.length()];
      image.readFully(range.start(), bytes, 0, bytes.length);
      Checksum c = ChecksumEngine.withThreads(2).compute(image, type, range, ProgressListener.NONE);
      assertThat(c.value()).isEqualTo(NaiveChecksum.of(type, bytes));
    }
  }
}
