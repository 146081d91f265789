package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashCode;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Sum-file lines: the shapes coreutils reads, plus Intact's tags and JSON lines. */
class CheckLineParserTest {
  private static final String HEX =
      "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
  private static final ChecksumType SHA256 = ChecksumType.parse("sha256", OptionalLong.empty());

  private static CheckEntry parse(String line) throws MalformedLineException {
    return new CheckLineParser(SHA256, false).parse(line).orElseThrow();
  }

  @Test
  void readsTextAndBinaryModeLines() throws MalformedLineException {
    assertThat(parse(HEX + "  a file").file()).isEqualTo("a file");
    assertThat(parse(HEX + " *a file").file()).isEqualTo("a file");
    assertThat(parse(HEX + "   leading spaces").file()).isEqualTo(" leading spaces");
    assertThat(parse(HEX + "  x").expected()).isEqualTo(HashCode.parse(HEX, 32, false));
    assertThat(parse(HEX.toUpperCase(java.util.Locale.ROOT) + "  x").expected())
        .isEqualTo(HashCode.parse(HEX, 32, false));
  }

  @Test
  void unescapesMarkedLines() throws MalformedLineException {
    assertThat(parse("\\" + HEX + "  a\\\\b\\nc").file()).isEqualTo("a\\b\nc");
    assertThat(parse("\\SHA256 (a\\nb) = " + HEX).file()).isEqualTo("a\nb");
  }

  @Test
  void readsTagsInPeerAndIntactSpellings() throws MalformedLineException {
    assertThat(parse("SHA256 (f (1).iso) = " + HEX).file()).isEqualTo("f (1).iso");
    assertThat(parse("SHA256(f)= " + HEX).type()).isEqualTo(SHA256);
    assertThat(parse("SHA256   (f) = " + HEX).file()).isEqualTo("f");
    assertThat(parse(HEX + "  (f) = x").file()).isEqualTo("(f) = x");
    CheckEntry blk = parse("BLKHASH (disk) = " + HEX);
    assertThat(blk.type()).isEqualTo(ChecksumType.DEFAULT);
    CheckEntry big = parse("BLKHASH/1M (disk) = " + HEX);
    assertThat(((BlockHashList) big.type()).blockSize()).isEqualTo(1 << 20);
    CheckEntry sha1 = parse("IMAGEIO:SHA1/1M (disk) = 3ed03b375b6658d99b63ced1867a95aeef080b79");
    assertThat(sha1.type().name()).isEqualTo("imageio:sha1");
  }

  @Test
  void printedTagsReadBack() throws MalformedLineException {
    for (ChecksumType t :
        new ChecksumType[] {
          SHA256,
          ChecksumType.DEFAULT,
          ChecksumType.parse("blkhash", OptionalLong.of(1 << 20)),
          ChecksumType.parse("blkhash:sha1", OptionalLong.of(8 << 10)),
          ChecksumType.parse("crc32c", OptionalLong.empty())
        }) {
      String hex = "ab".repeat(t.digestLength());
      assertThat(parse(TagNames.tag(t) + " (x) = " + hex).type()).isEqualTo(t);
    }
  }

  @Test
  void skipsCommentsAndBlankLinesAndStripsCarriageReturns() throws MalformedLineException {
    CheckLineParser p = new CheckLineParser(SHA256, false);
    assertThat(p.parse("# comment")).isEmpty();
    assertThat(p.parse("")).isEmpty();
    assertThat(p.parse("\r")).isEmpty();
    assertThat(p.parse(HEX + "  f\r").orElseThrow().file()).isEqualTo("f");
  }

  @Test
  void bsdReversedLinesMayNotFollowGnuLines() throws MalformedLineException {
    CheckLineParser reversed = new CheckLineParser(SHA256, false);
    assertThat(reversed.parse(HEX + " f").orElseThrow().file()).isEqualTo("f");
    assertThat(reversed.parse(HEX + " *g").orElseThrow().file()).isEqualTo("*g");
    CheckLineParser gnu = new CheckLineParser(SHA256, false);
    gnu.parse(HEX + "  f");
    assertThatThrownBy(() -> gnu.parse(HEX + " g"))
        .isInstanceOf(MalformedLineException.class)
        .hasMessageContaining("mixed");
  }

  @Test
  void refusesWhatIsNotAChecksumLine() {
    assertThatThrownBy(() -> parse("nonsense")).isInstanceOf(MalformedLineException.class);
    assertThatThrownBy(() -> parse(HEX.substring(2) + "  f"))
        .isInstanceOf(MalformedLineException.class);
    assertThatThrownBy(() -> parse(HEX.replace('5', 'g') + "  f"))
        .hasMessageContaining("not hexadecimal");
    assertThatThrownBy(() -> parse("SHA256 (f) = abcd")).hasMessageContaining("expected 64");
    assertThatThrownBy(() -> parse("NOPE (f) = abcd"))
        .hasMessageContaining("unknown checksum algorithm 'nope'");
    assertThatThrownBy(() -> parse("{\"algorithm\":\"sha256\"}"))
        .hasMessageContaining("lacks one of");
    assertThatThrownBy(() -> parse("{nope")).hasMessageContaining("bad JSON record");
  }

  @Test
  void aSumFileOnStandardInputMayNotNameStandardInput() {
    assertThatThrownBy(() -> new CheckLineParser(SHA256, true).parse(HEX + "  -"))
        .isInstanceOf(MalformedLineException.class);
  }

  @Test
  void readsJsonLinesWithBlockSizeAndRange() throws MalformedLineException {
    CheckEntry e =
        parse(
            "{\"algorithm\":\"blkhash\",\"block_size\":1048576,\"checksum\":\""
                + HEX
                + "\",\"size\":5,\"range\":{\"start\":1,\"end\":6},\"file\":\"d\"}");
    assertThat(e.type()).isEqualTo(ChecksumType.parse("blkhash", OptionalLong.of(1 << 20)));
    assertThat(e.range()).isEqualTo(new RangeSpec(1, OptionalLong.of(6)));
    assertThat(e.file()).isEqualTo("d");
  }
}
