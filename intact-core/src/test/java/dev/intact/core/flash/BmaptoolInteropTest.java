package dev.intact.core.flash;

import static dev.intact.core.flash.LocalFlashTest.flash;
import static dev.intact.core.flash.LocalFlashTest.layout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.bmap.Bmap;
import dev.intact.core.bmap.BmapParser;
import dev.intact.core.bmap.BmapWriter;
import dev.intact.core.hash.Algorithms;
import dev.intact.core.image.LocalImage;
import dev.intact.core.testing.ExternalTool;
import dev.intact.core.testing.SparseImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Debian's bmap-tools is the ground truth: its bmaps flash with Intact, Intact's bmaps copy with
 * bmaptool, and for one image the two tools write the same bmap, byte for byte.
 */
class BmaptoolInteropTest {
  private static final ExternalTool BMAPTOOL =
      ExternalTool.of("bmaptool", "bmap-tools").withTimeout(java.time.Duration.ofMinutes(2));
  @TempDir Path dir;

  static Stream<Arguments> images() {
    List<Arguments> cases = new ArrayList<>();
    // bmaptool's own edge cases: pure holes of 4K, 4K-1, 4K+1 and 1 byte between data.
    for (int hole : new int[] {4096, 4095, 4097, 1}) {
      cases.add(
          Arguments.of(
              "hole of " + hole,
              SparseImage.builder().data(8192, 1).hole(hole).data(5000, 2).hole(hole).build()));
    }
    cases.add(Arguments.of("image that is one hole", SparseImage.empty(3 * 4096 + 7)));
    cases.add(Arguments.of("fully mapped", SparseImage.builder().data(1_000_001, 3).build()));
    cases.add(
        Arguments.of(
            "allocated zeros are mapped",
            SparseImage.builder().zeros(4096).hole(4096).data(1, 4).build()));
    Random rnd = new Random(424242);
    for (int i = 0; i < 8; i++) {
      SparseImage.Builder b = SparseImage.builder();
      int regions = 1 + rnd.nextInt(12);
      for (int r = 0; r < regions; r++) {
        long len = 1L + rnd.nextInt(rnd.nextBoolean() ? 9000 : 300_000);
        switch (rnd.nextInt(3)) {
          case 0 -> b.data(len, rnd.nextLong());
          case 1 -> b.hole(len);
          default -> b.zeros(len);
        }
      }
      cases.add(Arguments.of("random sparse file " + i, b.build()));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void bothToolsAgreeAndFlashEachOthersBmaps(String name, SparseImage image) throws Exception {
    Path img = image.writeTo(dir.resolve("image.img"));
    byte[] expected = image.bytes();

    // bmaptool create → parsed and flashed by Intact.
    Path theirs = dir.resolve("theirs.bmap");
    BMAPTOOL.run("create", "-o", theirs.toString(), img.toString());
    Path dest1 = dir.resolve("intact-flashed.img");
    var out =
        flash(
            img.toString(),
            dest1,
            theirs,
            FlashOptions.DEFAULTS.withReadBack(FlashOptions.ReadBack.ON));
    assertThat(out.report().succeeded()).as(name).isTrue();
    assertThat(Files.readAllBytes(dest1)).as(name).isEqualTo(expected);
    assertThat(layout(dest1)).as(name + ": hole layout").isEqualTo(layout(img));

    // Intact's bmap → bmaptool copy.
    Bmap mine;
    try (LocalImage li = LocalImage.openRead(img)) {
      mine = BmapCreator.create(li, Algorithms.byName("sha256"));
    }
    Path ours = dir.resolve("ours.bmap");
    BmapWriter.write(mine, ours);
    Path dest2 = dir.resolve("bmaptool-copied.img");
    BMAPTOOL.run("copy", "--bmap", ours.toString(), img.toString(), dest2.toString());
    assertThat(Files.readAllBytes(dest2)).as(name).isEqualTo(expected);

    // Same ranges and checksums; in fact the same file.
    assertThat(mine.ranges()).as(name).isEqualTo(BmapParser.parse(theirs).ranges());
    assertThat(Files.readString(ours, StandardCharsets.US_ASCII))
        .as(name)
        .isEqualTo(Files.readString(theirs, StandardCharsets.US_ASCII));
  }
}
