package dev.intact.core.bmap;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz target for {@link BmapParser}, which reads .bmap files that come with downloaded
 * images. A normal test run replays the committed corpus in {@code
 * src/test/resources/dev/intact/core/bmap/BmapParserFuzzTestInputs}; {@code scripts/fuzz} fuzzes
 * for real. The only acceptable failure is {@link BmapFormatException}, and a parsed bmap must
 * write and parse back to itself.
 */
class BmapParserFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void parse(byte[] xml) {
    Bmap bmap;
    try {
      bmap = BmapParser.parse(xml, "fuzz.bmap");
    } catch (BmapFormatException e) {
      return;
    }
    Bmap again;
    try {
      again = BmapParser.parse(BmapWriter.toBytes(bmap), "rewritten.bmap");
    } catch (BmapFormatException e) {
      throw new AssertionError("a parsed bmap written back does not parse: " + e.getMessage(), e);
    }
    if (!again.ranges().equals(bmap.ranges()) || again.imageSize() != bmap.imageSize()) {
      throw new AssertionError("a parsed bmap written back parses differently");
    }
  }
}
