package dev.intact.core.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.Hasher;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.LocalImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block-hash list starts its hashing workers only for data: an image that is all holes is summed
 * by the calling thread alone (a short command then starts no threads).
 */
class ChecksumEngineWorkersTest {
  private static final int BLOCK = 4 << 20;
  private static final long SIZE = 64L << 20;
  private static final BlockHashList IMAGEIO =
      (BlockHashList) ChecksumType.parse("imageio", OptionalLong.empty());

  @TempDir Path dir;

  @Test
  void anImageOfHolesOnlyIsSummedWithoutWorkers() throws IOException {
    Path file = sparse(false);
    Set<String> seen = new HashSet<>();
    Checksum c = sum(file, seen);

    assertThat(seen).isEmpty();
    HashAlgorithm inner = IMAGEIO.inner();
    byte[] zeroDigest = inner.hash(new byte[BLOCK]).toBytes();
    Hasher outer = inner.newHasher();
    for (long i = 0; i < SIZE / BLOCK; i++) {
      outer.update(zeroDigest);
    }
    assertThat(c.value()).isEqualTo(outer.finish());
  }

  @Test
  void anImageWithDataIsHashedByTheWorkers() throws IOException {
    Set<String> seen = new HashSet<>();
    sum(sparse(true), seen);

    assertThat(seen).isNotEmpty();
  }

  /** A sparse image of {@link #SIZE} bytes, with one byte of data in its middle or none. */
  private Path sparse(boolean withData) throws IOException {
    Path file = dir.resolve("image");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(SIZE);
      if (withData) {
        raf.seek(SIZE / 2);
        raf.write(1);
      }
    }
    return file;
  }

  /** Sums with four workers, noting the hashing threads alive whenever progress is reported. */
  private static Checksum sum(Path file, Set<String> hashingThreads) throws IOException {
    ProgressListener watch =
        bytes -> {
          for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("intact-hash-")) {
              hashingThreads.add(t.getName());
            }
          }
        };
    try (LocalImage image = LocalImage.openRead(file)) {
      return ChecksumEngine.withThreads(4)
          .withChunkSize(1 << 20)
          .compute(image, IMAGEIO, ByteRange.whole(SIZE), watch);
    }
  }
}
