package dev.intact.core.flash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.bmap.Bmap;
import dev.intact.core.bmap.BmapFixtures;
import dev.intact.core.bmap.BmapParser;
import dev.intact.core.bmap.BmapRange;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.WritableImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlasherTest {
  @TempDir Path dir;
  private byte[] gold;
  private Bmap goldBmap;
  private final List<String> warnings = new ArrayList<>();
  private final FlashListener listener =
      new FlashListener() {
        @Override
        public void warning(String message) {
          warnings.add(message);
        }
      };

  @BeforeEach
  void gold() throws Exception {
    Path img = dir.resolve("gold.img");
    BmapFixtures.writeGoldImage(img);
    gold = Files.readAllBytes(img);
    goldBmap = BmapParser.parse(BmapFixtures.resource("gold.img.bmap"), "gold.img.bmap");
  }

  private FlashReport flash(ImageSource src, Bmap bmap, WritableImage target, FlashOptions o)
      throws Exception {
    return new Flasher(o, listener).flash(src, bmap, "gold.img.bmap", target);
  }

  @Test
  void flashesTheGoldImageToAFileWritingOnlyMappedBlocks() throws Exception {
    MemoryTarget file = MemoryTarget.file();
    FlashReport r = flash(new BytesSource(gold), goldBmap, file, FlashOptions.DEFAULTS);
    assertThat(file.content()).isEqualTo(gold);
    assertThat(r.succeeded()).isTrue();
    assertThat(r.bytesWritten()).isEqualTo(4096 + 3 * 4096 + 424);
    assertThat(r.rangesTotal()).isEqualTo(3);
    assertThat(r.rangesVerified()).isEqualTo(3);
    // A file with a fully checksummed bmap is verified at the source; read-back is asked for.
    assertThat(r.readBack()).isFalse();
    assertThat(file.syncs).isEqualTo(1);
    assertThat(warnings).isEmpty();
  }

  @Test
  void theLastPartialBlockIsComparedOnlyUpToTheImageSize() throws Exception {
    // A device larger than the image, full of garbage past ImageSize: no false read-back failure.
    byte[] device = new byte[gold.length + 8192];
    Arrays.fill(device, (byte) 0x5a);
    MemoryTarget dev = MemoryTarget.device(device);
    FlashReport r = flash(new BytesSource(gold), goldBmap, dev, FlashOptions.DEFAULTS);
    assertThat(r.readBack()).isTrue();
    assertThat(r.succeeded()).isTrue();
    assertThat(r.rangesVerified()).isEqualTo(3);
    byte[] got = dev.content();
    assertThat(Arrays.copyOfRange(got, 256 * 4096, gold.length))
        .isEqualTo(Arrays.copyOfRange(gold, 256 * 4096, gold.length));
    assertThat(got[gold.length]).isEqualTo((byte) 0x5a);
  }

  @Test
  void aSourceThatDoesNotMatchItsBmapFailsNamingTheRangeAndStops() throws Exception {
    byte[] other = gold.clone();
    other[64 * 4096 + 5] ^= 1;
    MemoryTarget dev = MemoryTarget.device(new byte[gold.length]);
    FlashReport r = flash(new BytesSource(other), goldBmap, dev, FlashOptions.DEFAULTS);
    assertThat(r.succeeded()).isFalse();
    assertThat(r.failures()).hasSize(2);
    assertThat(r.failures().get(0).toString())
        .startsWith(
            "blocks 64-66 (bytes [262144, 274432)): the source does not match its checksum"
                + " (sha256 ");
    assertThat(r.failures().get(1).toString())
        .isEqualTo(
            "blocks 256 (bytes [1048576, 1049000)): not written: the flash stopped at an earlier"
                + " range");
    assertThat(r.rangesVerified()).isEqualTo(1);
  }

  @Test
  void anImageOfAnotherSizeIsRefusedBeforeWriting() {
    MemoryTarget dev = MemoryTarget.device(new byte[2 << 20]);
    byte[] before = dev.content();
    assertThatThrownBy(
            () ->
                flash(
                    new BytesSource(Arrays.copyOf(gold, 4096 * 300)),
                    goldBmap,
                    dev,
                    FlashOptions.DEFAULTS))
        .isInstanceOf(ImageSizeMismatchException.class)
        .hasMessage(
            "memory-image: is 1228800 bytes but gold.img.bmap says ImageSize 1049000 (is the bmap"
                + " for another image?)");
    assertThat(dev.content()).isEqualTo(before);
  }

  @Test
  void aStreamShorterThanTheBmapSaysIsFatal() {
    var src = new BytesSource("-", Arrays.copyOf(gold, 65 * 4096), false);
    assertThatThrownBy(() -> flash(src, goldBmap, MemoryTarget.file(), FlashOptions.DEFAULTS))
        .isInstanceOf(SourceReadException.class)
        .hasMessage(
            "-: image ends early (the bmap says it has 1049000 bytes) at image byte 266240");
  }

  @Test
  void aStreamLongerThanTheBmapSaysIsFatal() {
    var src = new BytesSource("-", Arrays.copyOf(gold, gold.length + 1), false);
    assertThatThrownBy(() -> flash(src, goldBmap, MemoryTarget.file(), FlashOptions.DEFAULTS))
        .isInstanceOf(ImageSizeMismatchException.class)
        .hasMessageStartingWith("-: is 1049001 bytes but the bmap says ImageSize 1049000");
  }

  @Test
  void aDeviceSmallerThanTheImageIsRefused() {
    MemoryTarget dev = MemoryTarget.device(new byte[1 << 20]);
    assertThatThrownBy(() -> flash(new BytesSource(gold), goldBmap, dev, FlashOptions.DEFAULTS))
        .isInstanceOf(TargetTooSmallException.class)
        .hasMessage(
            "memory-device: is 1048576 bytes, smaller than the image (1049000 bytes); nothing was"
                + " written");
  }

  @Test
  void aBmapWithoutChecksumsWarnsOnceAndReadsBack() throws Exception {
    List<BmapRange> bare =
        goldBmap.ranges().stream().map(r -> BmapRange.of(r.first(), r.last(), null)).toList();
    Bmap b = Bmap.of(goldBmap.imageSize(), 4096, goldBmap.checksumAlgorithm(), bare);
    MemoryTarget file = MemoryTarget.file();
    FlashReport r = flash(new BytesSource(gold), b, file, FlashOptions.DEFAULTS);
    assertThat(warnings).hasSize(1);
    assertThat(warnings.getFirst()).contains("no checksum for 3 of its 3 ranges");
    assertThat(r.readBack()).isTrue();
    assertThat(r.rangesVerified()).isEqualTo(3);
    assertThat(file.content()).isEqualTo(gold);
  }

  @Test
  void withoutABmapTheWholeImageIsWrittenVerifiedAndKeptSparse() throws Exception {
    byte[] image = new byte[5 * 65536 + 100];
    new Random(3).nextBytes(image);
    Arrays.fill(image, 65536, 3 * 65536, (byte) 0);
    FaultyTarget dev = new FaultyTarget(new byte[image.length]);
    // A transient fault in the fourth segment is repaired from the source.
    dev.add(
        new FaultyTarget.Fault(
            new ByteRange(3 * 65536, 4 * 65536), 3 * 65536 + 17, FaultyTarget.Kind.DROP, 1));
    FlashOptions o = FlashOptions.DEFAULTS.withChunks(16384, 3, 65536);
    FlashReport r = new Flasher(o, listener).flash(new BytesSource(image), null, "-", dev);
    assertThat(dev.content()).isEqualTo(image);
    assertThat(r.succeeded()).isTrue();
    assertThat(r.rangesTotal()).isEqualTo(6);
    assertThat(r.retries()).isEqualTo(1);

    MemoryTarget file = MemoryTarget.file();
    FlashReport f =
        new Flasher(o, listener).flash(new BytesSource("-", image, false), null, "-", file);
    assertThat(file.content()).isEqualTo(image);
    assertThat(f.bytesWritten()).isEqualTo(image.length - 2 * 65536);
    assertThat(f.readBack()).isTrue();
    assertThat(f.rangesVerified()).isEqualTo(6);
  }

  @Test
  void aRangeThatMustBeRereadFromStandardInputFailsClearly() throws Exception {
    FaultyTarget dev = new FaultyTarget(new byte[gold.length]);
    dev.add(
        new FaultyTarget.Fault(
            new ByteRange(64 * 4096, 67 * 4096), 64 * 4096 + 9, FaultyTarget.Kind.CORRUPT, 1));
    ImageSource stdin = ImageSource.stream("-", new ByteArrayInputStream(gold));
    FlashReport r = flash(stdin, goldBmap, dev, FlashOptions.DEFAULTS);
    assertThat(r.succeeded()).isFalse();
    assertThat(r.failures())
        .singleElement()
        .hasToString(
            "blocks 64-66 (bytes [262144, 274432)): reads back different from what was written; -:"
                + " cannot be read a second time to rewrite a range (flash from a file to allow it)");
    assertThat(r.rangesVerified()).isEqualTo(2);
  }

  @Test
  void permanentFaultsExhaustTheRetriesAndNameEveryRange() throws Exception {
    FaultyTarget dev = new FaultyTarget(new byte[gold.length]);
    dev.add(new FaultyTarget.Fault(new ByteRange(0, 4096), 100, FaultyTarget.Kind.DROP, 99));
    dev.add(
        new FaultyTarget.Fault(
            new ByteRange(256 * 4096, gold.length),
            gold.length - 1,
            FaultyTarget.Kind.CORRUPT,
            99));
    FlashReport r = flash(new BytesSource(gold), goldBmap, dev, FlashOptions.DEFAULTS);
    assertThat(r.failures())
        .extracting(RangeFailure::toString)
        .containsExactly(
            "blocks 0 (bytes [0, 4096)): reads back different from what was written (still wrong"
                + " after 3 rewrites)",
            "blocks 256 (bytes [1048576, 1049000)): reads back different from what was written"
                + " (still wrong after 3 rewrites)");
    assertThat(r.retries()).isEqualTo(6);
    assertThat(r.rangesVerified()).isEqualTo(1);
  }
}
