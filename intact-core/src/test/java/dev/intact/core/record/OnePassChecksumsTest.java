package dev.intact.core.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.LocalImage;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnePassChecksumsTest {
  @TempDir Path dir;

  private static List<ChecksumType> everyType() {
    List<ChecksumType> types = new ArrayList<>();
    for (HashAlgorithm a : Algorithms.all()) {
      types.add(ChecksumType.parse(a.name(), OptionalLong.empty()));
    }
    types.add(ChecksumType.parse("imageio", OptionalLong.of(1 << 20)));
    types.add(ChecksumType.parse("imageio:sha1", OptionalLong.empty()));
    types.add(ChecksumType.parse("blkhash", OptionalLong.empty()));
    types.add(ChecksumType.parse("blkhash:blake3", OptionalLong.of(4096)));
    return types;
  }

  /** Sizes around chunk (1 MiB) and block (64 KiB, 1 MiB, 4 MiB) edges, and empty. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 65535, 65536, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 12345})
  void everyTypeInOnePassEqualsTheChecksumEnginesValue(int size) throws IOException {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    for (int i = 0; i < size / 3; i++) {
      data[i] = 0; // a zero run: the engine takes its zero-block shortcut there
    }
    Path file = dir.resolve("f");
    Files.write(file, data);
    List<ChecksumType> types = everyType();
    AtomicLong progress = new AtomicLong();

    List<Checksum> values;
    try (LocalImage image = LocalImage.openRead(file)) {
      values =
          OnePassChecksums.compute(
              file.toString(), image::readFully, size, types, progress::addAndGet);
    }

    ChecksumEngine engine = ChecksumEngine.withThreads(2);
    try (LocalImage image = LocalImage.openRead(file)) {
      for (int i = 0; i < types.size(); i++) {
        Checksum expected =
            engine.compute(image, types.get(i), new ByteRange(0, size), ProgressListener.NONE);
        assertThat(values.get(i)).as(types.get(i).name()).isEqualTo(expected);
      }
    }
    assertThat(progress.get()).isEqualTo(size);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void sourceThatEndsEarlyFailsWithEofAndStopsEveryThread(int types) throws IOException {
    List<ChecksumType> list = everyType().subList(0, types);

    assertThatThrownBy(
            () ->
                OnePassChecksums.compute(
                    "short",
                    (pos, dst, off, len) -> {
                      if (pos >= 3 << 20) {
                        throw new EOFException("short ends at " + pos);
                      }
                    },
                    10 << 20,
                    list,
                    n -> {}))
        .isInstanceOf(EOFException.class)
        .hasMessage("short ends at 3145728");
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("intact-hash-") && t.isAlive());
  }
}
