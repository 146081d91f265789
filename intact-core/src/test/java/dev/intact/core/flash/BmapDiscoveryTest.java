package dev.intact.core.flash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BmapDiscoveryTest {
  @TempDir Path dir;

  @Test
  void stripsExtensionsOneByOneLikeBmaptool() {
    assertThat(BmapDiscovery.candidates(dir.resolve("os.img.xz")))
        .containsExactly(
            dir.resolve("os.img.xz.bmap"), dir.resolve("os.img.bmap"), dir.resolve("os.bmap"));
    assertThat(BmapDiscovery.candidates(dir.resolve(".hidden")))
        .containsExactly(dir.resolve(".hidden.bmap"));
  }

  @Test
  void findsTheBmapOfTheUncompressedImageName() throws Exception {
    Files.createFile(dir.resolve("os.img.bmap"));
    Files.createFile(dir.resolve("os.bmap"));
    assertThat(BmapDiscovery.require(dir.resolve("os.img.zst")))
        .isEqualTo(dir.resolve("os.img.bmap"));
  }

  @Test
  void noBmapIsAClearError() {
    assertThatThrownBy(() -> BmapDiscovery.require(dir.resolve("os.img.gz")))
        .isInstanceOf(BmapNotFoundException.class)
        .hasMessage(
            "no bmap found for "
                + dir.resolve("os.img.gz")
                + " (looked for "
                + dir.resolve("os.img.gz.bmap")
                + ", "
                + dir.resolve("os.img.bmap")
                + ", "
                + dir.resolve("os.bmap")
                + "); give one with --bmap FILE, or flash the whole image with --nobmap");
  }
}
