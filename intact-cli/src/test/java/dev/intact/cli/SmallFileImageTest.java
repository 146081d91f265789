package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.image.Extent;
import java.io.EOFException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FFM-free reader of small regular files that short whole-stream sums take. */
class SmallFileImageTest {
  @TempDir Path dir;

  @Test
  void readsTheFilesBytesAsOneDataExtent() throws Exception {
    byte[] bytes = new byte[70_000];
    new Random(7).nextBytes(bytes);
    Path f = Files.write(dir.resolve("f"), bytes);
    try (SmallFileImage image = SmallFileImage.openRead(f)) {
      byte[] got = new byte[100];
      image.readFully(65_000, got, 0, 100);
      assertThat(got).isEqualTo(Arrays.copyOfRange(bytes, 65_000, 65_100));
      assertThat(image.size()).isEqualTo(70_000);
      assertThat(image.extentAt(10, 70_000)).isEqualTo(new Extent(10, 69_990, false));
      assertThat(image.name()).isEqualTo(f.toString());
    }
  }

  @Test
  void aFileThatShrankFailsNamingItAndTheOffset() throws Exception {
    Path f = Files.write(dir.resolve("f"), new byte[8192]);
    try (SmallFileImage image = SmallFileImage.openRead(f)) {
      Files.write(f, new byte[4096]);
      assertThatThrownBy(() -> image.readFully(0, new byte[8192], 0, 8192))
          .isInstanceOf(EOFException.class)
          .hasMessage(f + " ends at 4096, before 8192");
    }
  }

  @Test
  void onlySmallRegularFilesFit() throws Exception {
    Path small = Files.write(dir.resolve("small"), new byte[1]);
    Path big = dir.resolve("big");
    try (RandomAccessFile r = new RandomAccessFile(big.toFile(), "rw")) {
      r.setLength(SmallFileImage.MAX_SIZE + 1); // sparse: costs no space
    }
    assertThat(SmallFileImage.fits(small)).isTrue();
    assertThat(SmallFileImage.fits(big)).isFalse();
    assertThat(SmallFileImage.fits(dir)).isFalse();
  }
}
