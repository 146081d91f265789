package dev.intact.core.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.image.ByteRange;
import dev.intact.core.image.LocalImage;
import dev.intact.core.testing.ExternalTool;
import dev.intact.core.testing.SparseImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * imageio and blkhash values against an independent implementation: python3's hashlib running the
 * definition of checksums.md over a file of data, written zeros and holes.
 */
class BlockListCrossCheckTest {
  private static final ExternalTool PYTHON = ExternalTool.of("python3", "python3");

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}, {1}-byte blocks")
  @CsvSource({
    "blkhash:sha256, 65536",
    "blkhash:blake2b-256, 4096",
    "blkhash:sha1, 131072",
    "imageio:blake2b-256, 1048576",
    "imageio:sha256, 4194304",
  })
  void equalsPythonHashlib(String name, int blockSize) throws IOException {
    Path script = dir.resolve("blocklist.py");
    try (InputStream in = getClass().getResourceAsStream("blocklist.py")) {
      Files.copy(Objects.requireNonNull(in, "blocklist.py resource"), script);
    }
    Path file =
        SparseImage.builder()
            .data(3 * blockSize + 17, 1)
            .hole(5L << 20)
            .zeros(blockSize + 1)
            .data(100_000, 2)
            .hole(3 * blockSize - 5)
            .build()
            .writeTo(dir.resolve("image.raw"));
    BlockHashList type = (BlockHashList) ChecksumType.parse(name, OptionalLong.of(blockSize));

    String expected =
        PYTHON
            .run(
                script.toString(),
                type.construction().label(),
                type.inner().name(),
                String.valueOf(blockSize),
                file.toString())
            .strip();

    try (LocalImage image = LocalImage.openRead(file)) {
      Checksum c =
          ChecksumEngine.withDefaultThreads()
              .compute(image, type, ByteRange.whole(image.size()), ProgressListener.NONE);
      assertThat(c.value().toHex()).isEqualTo(expected);
    }
  }
}
