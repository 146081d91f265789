package dev.intact.core.bmap;

import static dev.intact.core.bmap.BmapFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BmapWriterTest {

  @Test
  void rewritesTheGoldBmapByteForByteAsBmaptoolWroteIt() throws Exception {
    Bmap gold = BmapParser.parse(resource("gold.img.bmap"), "gold.img.bmap");
    byte[] written = BmapWriter.toBytes(gold);
    assertThat(new String(written, StandardCharsets.US_ASCII))
        .isEqualTo(new String(resource("gold.img.bmap"), StandardCharsets.US_ASCII));
  }

  @Test
  void writtenFilesParseBackWithAVerifiedFileChecksum() throws Exception {
    var sha1 = Algorithms.byName("sha1");
    Bmap bmap =
        Bmap.of(
            10L * 1024 * 1024 * 1024 + 1,
            4096,
            sha1,
            List.of(
                BmapRange.of(0, 9, sha1.hash(new byte[] {1})),
                BmapRange.of(100_000, 100_000, null),
                BmapRange.of(2_621_440, 2_621_440, sha1.hash(new byte[] {2}))));
    Bmap back = BmapParser.parse(BmapWriter.toBytes(bmap), "written.bmap");
    assertThat(back.ranges()).isEqualTo(bmap.ranges());
    assertThat(back.imageSize()).isEqualTo(bmap.imageSize());
    assertThat(back.blocksCount()).isEqualTo(2_621_441);
    assertThat(back.mappedBlocksCount()).isEqualTo(12);
    assertThat(back.checksumAlgorithm()).isEqualTo(sha1);
    assertThat(back.fileChecksum()).map(HashCode::length).contains(20);
  }

  @Test
  void humanSizesAndPercentagesRoundLikePython() {
    assertThat(BmapWriter.humanSize(1)).isEqualTo("1 byte");
    assertThat(BmapWriter.humanSize(511)).isEqualTo("511 bytes");
    assertThat(BmapWriter.humanSize(512)).isEqualTo("0.5 KiB");
    assertThat(BmapWriter.humanSize(1_049_000)).isEqualTo("1.0 MiB");
    assertThat(BmapWriter.humanSize(20480)).isEqualTo("20.0 KiB");
    // 1.25 MiB is exact in binary: Python's "%.1f" rounds half to even, giving 1.2.
    assertThat(BmapWriter.humanSize(1_310_720)).isEqualTo("1.2 MiB");
    assertThat(BmapWriter.humanSize(4L << 40)).isEqualTo("4.0 TiB");
    // bmaptool has no PiB: past TiB it prints the TiB count with "EiB"; kept for identical files.
    assertThat(BmapWriter.humanSize(4L << 50)).isEqualTo("4096.0 EiB");
    assertThat(BmapWriter.oneDecimal(5 * 100.0 / 257)).isEqualTo("1.9");
  }
}
