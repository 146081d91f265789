package dev.intact.core.flash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.bmap.Bmap;
import dev.intact.core.bmap.BmapFixtures;
import dev.intact.core.bmap.BmapFormatException;
import dev.intact.core.bmap.BmapRange;
import dev.intact.core.bmap.BmapWriter;
import dev.intact.core.hash.Algorithms;
import dev.intact.core.image.LocalImage;
import dev.intact.core.testing.SparseImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Flashing real files: the gold fixture, compressed images, markers and bad input. */
class LocalFlashTest {
  @TempDir Path dir;

  static final InputStream NO_STDIN = InputStream.nullInputStream();

  static FlashJob.Outcome flash(String image, Path dest, Path bmap, FlashOptions o)
      throws Exception {
    return FlashJob.run(
        new FlashRequest(image, dest, Optional.ofNullable(bmap), false, o),
        NO_STDIN,
        FlashListener.NONE);
  }

  /** Mapped 4 KiB blocks of a file, from SEEK_DATA: the hole layout. */
  static List<BmapRange> layout(Path file) throws Exception {
    try (LocalImage img = LocalImage.openRead(file)) {
      return BmapCreator.create(img, null).ranges();
    }
  }

  @Test
  void flashesTheGoldFixtureWithItsDiscoveredBmapAndKeepsItSparse() throws Exception {
    Path img = dir.resolve("gold.img");
    BmapFixtures.writeGoldImage(img);
    Files.write(dir.resolve("gold.img.bmap"), BmapFixtures.resource("gold.img.bmap"));
    Path dest = dir.resolve("out.img");
    Files.write(dest, new byte[3 << 20]); // old, larger contents must not show through
    var out =
        flash(
            img.toString(),
            dest,
            null,
            FlashOptions.DEFAULTS.withReadBack(FlashOptions.ReadBack.ON));
    assertThat(out.report().succeeded()).isTrue();
    assertThat(out.report().rangesVerified()).isEqualTo(3);
    assertThat(out.marker()).isEmpty();
    assertThat(IncompleteMarker.pathFor(dest)).doesNotExist();
    assertThat(Algorithms.byName("sha256").hash(Files.readAllBytes(dest)).toHex())
        .isEqualTo(BmapFixtures.GOLD_SHA256);
    assertThat(layout(dest)).isEqualTo(layout(img));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "xz", "zstd", "bzip2"})
  void flashesEveryCompressedFormatWithTheBmapOfTheRawImage(String tool) throws Exception {
    SparseImage image =
        SparseImage.builder()
            .data(10_000, 1)
            .hole(1 << 20)
            .data(300_000, 2)
            .zeros(8192)
            .hole(65536)
            .data(4095, 3)
            .build();
    Path raw = image.writeTo(dir.resolve("os.img"));
    Bmap bmap;
    try (LocalImage li = LocalImage.openRead(raw)) {
      bmap = BmapCreator.create(li, Algorithms.byName("sha256"));
    }
    BmapWriter.write(bmap, dir.resolve("os.img.bmap"));
    Path compressed = Compressors.compress(tool, raw);
    Path dest = dir.resolve("dest.img");
    var out = flash(compressed.toString(), dest, null, FlashOptions.DEFAULTS);
    assertThat(out.report().succeeded()).isTrue();
    assertThat(Files.readAllBytes(dest)).isEqualTo(image.bytes());
    assertThat(layout(dest))
        .isEqualTo(
            bmap.ranges().stream().map(r -> BmapRange.of(r.first(), r.last(), null)).toList());

    // Truncated: fatal with the offset reached, and the destination stays marked incomplete.
    byte[] whole = Files.readAllBytes(compressed);
    Files.write(compressed, Arrays.copyOf(whole, whole.length * 2 / 3));
    assertThatThrownBy(() -> flash(compressed.toString(), dest, null, FlashOptions.DEFAULTS))
        .isInstanceOf(SourceReadException.class)
        .hasMessageContaining(tool + " stream")
        .hasMessageContaining("compressed byte");
    assertThat(IncompleteMarker.pathFor(dest)).exists();
    assertThat(Files.readString(IncompleteMarker.pathFor(dest)))
        .contains("is NOT a verified copy of " + compressed)
        .contains(tool + " stream");
  }

  @Test
  void aTamperedBmapStopsEverythingBeforeTheDestinationIsTouched() throws Exception {
    Path img = dir.resolve("gold.img");
    BmapFixtures.writeGoldImage(img);
    Path bmap = dir.resolve("gold.img.bmap");
    Files.writeString(bmap, BmapFixtures.text("gold.img.bmap").replace("> 64-66 <", "> 64-65 <"));
    Path dest = dir.resolve("out.img");
    Files.writeString(dest, "precious");
    assertThatThrownBy(() -> flash(img.toString(), dest, null, FlashOptions.DEFAULTS))
        .isInstanceOf(BmapFormatException.class)
        .hasMessageContaining("<BmapFileChecksum>: checksum mismatch");
    assertThat(Files.readString(dest)).isEqualTo("precious");
    assertThat(IncompleteMarker.pathFor(dest)).doesNotExist();
  }

  @Test
  void theBmapOfAnotherImageFailsNamingTheRangeAndLeavesTheMarker() throws Exception {
    Path img = dir.resolve("gold.img");
    BmapFixtures.writeGoldImage(img);
    try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {'X'}), 64 * 4096 + 100);
    }
    Path bmap = dir.resolve("other.bmap");
    Files.write(bmap, BmapFixtures.resource("gold.img.bmap"));
    Path dest = dir.resolve("out.img");
    var out = flash(img.toString(), dest, bmap, FlashOptions.DEFAULTS);
    assertThat(out.report().succeeded()).isFalse();
    assertThat(out.report().failures().getFirst().toString())
        .startsWith(
            "blocks 64-66 (bytes [262144, 274432)): the source does not match its checksum");
    assertThat(out.marker()).contains(IncompleteMarker.pathFor(dest));
    assertThat(Files.readString(out.marker().orElseThrow())).contains("blocks 64-66");
  }

  @Test
  void standardInputNeedsABmapOrNobmap() {
    assertThatThrownBy(
            () ->
                FlashJob.run(
                    new FlashRequest(
                        "-", dir.resolve("d"), Optional.empty(), false, FlashOptions.DEFAULTS),
                    new ByteArrayInputStream(new byte[10]),
                    FlashListener.NONE))
        .hasMessage(
            "the image comes from standard input, so its bmap cannot be discovered: give --bmap"
                + " FILE, or flash the whole image with --nobmap");
  }

  @Test
  void standardInputWithNobmapIsWrittenAndVerified() throws Exception {
    SparseImage image = SparseImage.builder().data(70_000, 5).hole(200_000).data(1, 6).build();
    Path dest = dir.resolve("dest.img");
    var out =
        FlashJob.run(
            new FlashRequest("-", dest, Optional.empty(), true, FlashOptions.DEFAULTS),
            new ByteArrayInputStream(image.bytes()),
            FlashListener.NONE);
    assertThat(out.report().succeeded()).isTrue();
    assertThat(out.report().readBack()).isTrue();
    assertThat(Files.readAllBytes(dest)).isEqualTo(image.bytes());
    // Zero blocks were not written: the file is sparse where the image is zero.
    assertThat(layout(dest)).extracting(BmapRange::blocksText).containsExactly("0-17", "65");
  }

  @Test
  void flashingAFileOntoItselfByAnyNameIsRefusedAndLeavesItAsItWas() throws Exception {
    Path img = dir.resolve("self.img");
    BmapFixtures.writeGoldImage(img);
    Path bmap = dir.resolve("self.img.bmap");
    Files.write(bmap, BmapFixtures.resource("gold.img.bmap"));
    byte[] before = Files.readAllBytes(img);
    Path link = Files.createSymbolicLink(dir.resolve("link.img"), img);
    Path hard = Files.createLink(dir.resolve("hard.img"), img);
    try (java.io.FileInputStream open = new java.io.FileInputStream(img.toFile())) {
      assertThat(open.available()).isPositive();
      Path procFd = Path.of("/proc/self/fd").resolve(String.valueOf(procFdOf(img)));
      for (Path dest : List.of(img, link, hard, procFd)) {
        assertThatThrownBy(() -> flash(img.toString(), dest, bmap, FlashOptions.DEFAULTS))
            .as("flash %s %s", img, dest)
            .isInstanceOf(SameFileException.class)
            .hasMessage(
                "refusing to flash "
                    + img
                    + " onto "
                    + dest
                    + ": they are the same file; nothing was written");
        assertThat(Files.readAllBytes(img)).isEqualTo(before);
        assertThat(IncompleteMarker.pathFor(dest)).doesNotExist();
      }
      // The other way round: the source by another name.
      assertThatThrownBy(() -> flash(link.toString(), img, bmap, FlashOptions.DEFAULTS))
          .isInstanceOf(SameFileException.class);
      assertThat(Files.readAllBytes(img)).isEqualTo(before);
    }
  }

  /** A descriptor number this process holds open on {@code file}, found in /proc/self/fd. */
  private static int procFdOf(Path file) throws Exception {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          if (Files.readSymbolicLink(fd).equals(file)) {
            return Integer.parseInt(fd.getFileName().toString());
          }
        } catch (java.io.IOException gone) {
          // the descriptor of the listing itself, closed meanwhile
        }
      }
    }
    throw new AssertionError("no descriptor open on " + file);
  }

  @Test
  void aDestinationThatCannotBeCreatedSaysWhereAndWhy() throws Exception {
    Path img = dir.resolve("g.img");
    BmapFixtures.writeGoldImage(img);
    Path bmap = dir.resolve("g.img.bmap");
    Files.write(bmap, BmapFixtures.resource("gold.img.bmap"));
    Path notADir = Files.writeString(dir.resolve("plain.txt"), "x");
    Path dest = notADir.resolve("out.img");
    assertThatThrownBy(() -> flash(img.toString(), dest, bmap, FlashOptions.DEFAULTS))
        .hasMessage(
            dest
                + ": cannot write there (creating out.img.intact-incomplete beside it: Not a"
                + " directory); nothing was written");
  }
}
