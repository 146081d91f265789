package dev.intact.core.bmap;

import static dev.intact.core.bmap.BmapFixtures.reseal;
import static dev.intact.core.bmap.BmapFixtures.resource;
import static dev.intact.core.bmap.BmapFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.hash.HashCode;
import dev.intact.core.image.ByteRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BmapParserTest {

  @Test
  void readsTheGoldBmapOfBmaptool36() throws Exception {
    Bmap b = BmapParser.parse(resource("gold.img.bmap"), "gold.img.bmap");
    assertThat(b.version()).isEqualTo(new BmapVersion(2, 0));
    assertThat(b.imageSize()).isEqualTo(1_049_000);
    assertThat(b.blockSize()).isEqualTo(4096);
    assertThat(b.blocksCount()).isEqualTo(257);
    assertThat(b.mappedBlocksCount()).isEqualTo(5);
    assertThat(b.checksumAlgorithm().name()).isEqualTo("sha256");
    assertThat(b.fileChecksum())
        .contains(
            HashCode.parse(
                "583e9b18e1d555bf00e43e0af82ca8b4340e2928912b943e3628ac17eb21c04b", 32, false));
    assertThat(b.ranges()).extracting(BmapRange::blocksText).containsExactly("0", "64-66", "256");
    assertThat(b.ranges().get(1).checksum().orElseThrow().toHex())
        .isEqualTo("2ffe74f47a7bb7350e913f6b9259080cbe3cee97b2d313d5e2fe2942108d98e9");
    // The last block is clipped to the image size: 424 bytes, not 4096.
    assertThat(b.ranges().get(2).bytes(b.blockSize(), b.imageSize()))
        .isEqualTo(new ByteRange(256 * 4096, 1_049_000));
    assertThat(b.hasRangeChecksums()).isTrue();
  }

  @Test
  void readsVersion12WithSha1RangesAndNoFileChecksum() throws Exception {
    Bmap b = BmapParser.parse(resource("gold-1.2.bmap"), "gold-1.2.bmap");
    assertThat(b.version()).isEqualTo(new BmapVersion(1, 2));
    assertThat(b.checksumAlgorithm().name()).isEqualTo("sha1");
    assertThat(b.fileChecksum()).isEmpty();
    assertThat(b.ranges()).extracting(BmapRange::blocksText).containsExactly("0", "64-66", "256");
    assertThat(b.ranges().get(0).checksum().orElseThrow().toHex())
        .isEqualTo("b5ae2213a83052584ac3ae63828d1c3dc10c1062");
  }

  @Test
  void readsVersion13AndVerifiesBmapFileSha1() throws Exception {
    Bmap b = BmapParser.parse(resource("gold-1.3.bmap"), "gold-1.3.bmap");
    assertThat(b.version()).isEqualTo(new BmapVersion(1, 3));
    assertThat(b.fileChecksum().orElseThrow().toHex())
        .isEqualTo("238a55f5de9a267ab65629cb24bec521d00435ef");
    String tampered = text("gold-1.3.bmap").replace("64-66", "64-65");
    assertThatThrownBy(() -> parse(tampered.getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(BmapFormatException.class)
        .hasMessageContaining("<BmapFileSHA1>")
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void readsVersion20WithMd5AndValuesWithoutSurroundingBlanks() throws Exception {
    Bmap b = BmapParser.parse(resource("gold-2.0-md5.bmap"), "gold-2.0-md5.bmap");
    assertThat(b.checksumAlgorithm().name()).isEqualTo("md5");
    assertThat(b.ranges().get(2).checksum().orElseThrow().toHex())
        .isEqualTo("b94f8bf46d7ce9005ed4393dabc47f78");
  }

  @Test
  void rangesWithoutChecksumsAreAccepted() throws Exception {
    String xml = text("gold.img.bmap").replaceAll(" chksum=\"[0-9a-f]+\"", "");
    Bmap b = parse(reseal(xml));
    assertThat(b.ranges()).allMatch(r -> r.checksum().isEmpty());
    assertThat(b.hasRangeChecksums()).isFalse();
  }

  @Test
  void tamperedBmapFailsItsFileChecksum() {
    String xml = text("gold.img.bmap").replace("> 64-66 <", "> 64-67 <");
    assertThatThrownBy(() -> parse(xml.getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(BmapFormatException.class)
        .hasMessage(
            "test.bmap:42: <BmapFileChecksum>: checksum mismatch: the file says"
                + " 583e9b18e1d555bf00e43e0af82ca8b4340e2928912b943e3628ac17eb21c04b but its sha256 is"
                + " "
                + BmapFixtures.resealedChecksumOf(xml)
                + " (the bmap was modified or damaged)");
  }

  @Test
  void wrongBlocksCount() {
    assertError(
        edit("<BlocksCount> 257 </BlocksCount>", "<BlocksCount> 256 </BlocksCount>"),
        "BlocksCount",
        "256 blocks is inconsistent with ImageSize 1049000 and BlockSize 4096 (expected 257)");
  }

  @Test
  void wrongMappedBlocksCount() {
    assertError(
        edit("<MappedBlocksCount> 5   <", "<MappedBlocksCount> 6   <"),
        "MappedBlocksCount",
        "6 does not match the 5 blocks the ranges map");
  }

  @Test
  void firstAfterLast() {
    assertError(edit("> 64-66 <", "> 66-64 <"), "Range", "first block 66 > last block 64");
  }

  @Test
  void overlappingRanges() {
    assertError(
        edit("> 64-66 <", "> 0-2 <").replace("<MappedBlocksCount> 5", "<MappedBlocksCount> 5"),
        "Range",
        "blocks 0-2 overlap or precede the previous range 0");
  }

  @Test
  void descendingRanges() {
    String xml = text("gold.img.bmap");
    String r0 = line(xml, "> 0 </Range>");
    String r1 = line(xml, "> 64-66 </Range>");
    String swapped = xml.replace(r0, "@").replace(r1, r0).replace("@", r1);
    assertError(swapped, "Range", "blocks 0 overlap or precede the previous range 64-66");
  }

  @Test
  void rangePastTheImage() {
    assertError(
        edit("> 256 <", "> 257 <"),
        "Range",
        "blocks 257 reach past the end of the image (257 blocks)");
  }

  @Test
  void badHexInARange() {
    assertError(
        edit("e0a455536cbd1bb9736379ddcecce7348f6863921e8f88be4ba3ef08f4547174", "e0a4zz"),
        "Range",
        "blocks 0: checksum value 'e0a4zz' is not hexadecimal for sha256");
  }

  @Test
  void checksumOfTheWrongLength() {
    assertError(
        edit("e0a455536cbd1bb9736379ddcecce7348f6863921e8f88be4ba3ef08f4547174", "e0a4"),
        "Range",
        "blocks 0: checksum value 'e0a4' has 4 hex digits, expected 64 for sha256");
  }

  @Test
  void unsupportedMajorVersion() {
    assertError(
        edit("<bmap version=\"2.0\">", "<bmap version=\"3.0\">"),
        "bmap",
        "unsupported bmap version 3.0 (Intact reads versions 1.0 to 2.x)");
  }

  @Test
  void unknownChecksumType() {
    String xml = text("gold.img.bmap").replace("<ChecksumType> sha256 <", "<ChecksumType> rot13 <");
    assertThatThrownBy(() -> parse(xml.getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(BmapFormatException.class)
        .hasMessageStartingWith("test.bmap:38: <ChecksumType>: unknown checksum algorithm 'rot13'");
  }

  @Test
  void missingElement() {
    String xml = text("gold.img.bmap").replaceAll("<BlockSize>.*</BlockSize>", "");
    assertThatThrownBy(() -> parse(reseal(xml)))
        .isInstanceOf(BmapFormatException.class)
        .hasMessage("test.bmap: <BlockSize>: missing");
  }

  @Test
  void notANumber() {
    assertError(
        edit("<ImageSize> 1049000 <", "<ImageSize> 1e6 <"),
        "ImageSize",
        "'1e6' is not a non-negative number");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<!DOCTYPE bmap [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
        "<!DOCTYPE bmap SYSTEM \"http://127.0.0.1:9/evil.dtd\">"
      })
  void documentTypeDeclarationsAndExternalEntitiesAreRefused(String doctype) {
    String xml =
        text("gold.img.bmap")
            .replace("<bmap version", doctype + "\n<bmap version")
            .replace("<ChecksumType> sha256 <", "<ChecksumType> &xxe; <");
    assertThatThrownBy(() -> parse(xml.getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(BmapFormatException.class)
        .hasMessageContaining("DOCTYPE is not allowed");
  }

  @Test
  void malformedXml() {
    String xml = text("gold.img.bmap").replace("</BlockMap>", "</BlokMap>");
    assertThatThrownBy(() -> parse(xml.getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(BmapFormatException.class)
        .hasMessageStartingWith("test.bmap:51: malformed XML:")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void invalidUtf8IsRefusedNamingItsLineWithoutAnythingOnStderr() throws Exception {
    String xml = text("gold.img.bmap");
    int at = xml.indexOf("<BlockSize>");
    byte[] head = xml.substring(0, at).getBytes(StandardCharsets.US_ASCII);
    byte[] bad = {(byte) 0xe2, (byte) 0x28, (byte) 0xa1};
    byte[] tail = xml.substring(at).getBytes(StandardCharsets.US_ASCII);
    byte[] raw = new byte[head.length + bad.length + tail.length];
    System.arraycopy(head, 0, raw, 0, head.length);
    System.arraycopy(bad, 0, raw, head.length, bad.length);
    System.arraycopy(tail, 0, raw, head.length + bad.length, tail.length);
    long line = xml.substring(0, at).chars().filter(c -> c == '\n').count() + 1;

    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThatThrownBy(() -> parse(raw))
          .isInstanceOf(BmapFormatException.class)
          .hasMessage("test.bmap:" + line + ": not valid UTF-8 text");
    } finally {
      System.setErr(stderr);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aDeclaredEncodingIsHonouredAndAnUnknownOneRefused() throws Exception {
    // 0xE9 ("é" in ISO-8859-1) is not valid UTF-8: only the declaration makes this file readable.
    String xml =
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<!-- caf\u00e9 -->\n"
            + text("gold.img.bmap").replaceFirst("<\\?xml[^>]*>\\s*", "");
    String old =
        xml.replaceAll("(?s).*<BmapFileChecksum>\\s*(\\w+)\\s*</BmapFileChecksum>.*", "$1");
    String zeroed = xml.replace(old, "0".repeat(old.length()));
    String sum =
        dev.intact.core.hash.Algorithms.byName("sha256")
            .hash(zeroed.getBytes(StandardCharsets.ISO_8859_1))
            .toHex();
    byte[] latin1 =
        zeroed.replace("0".repeat(old.length()), sum).getBytes(StandardCharsets.ISO_8859_1);
    assertThat(parse(latin1).ranges()).isNotEmpty();

    assertThatThrownBy(
            () ->
                parse(
                    "<?xml version=\"1.0\" encoding=\"x-no-such\"?><bmap/>"
                        .getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(BmapFormatException.class)
        .hasMessage("test.bmap:1: unsupported encoding \"x-no-such\"");
  }

  @Test
  void everyMessageIsOneLineNamingTheFile() {
    for (String xml :
        List.of(
            edit("> 64-66 <", "> 66-64 <"),
            edit("<BlocksCount> 257 <", "<BlocksCount> 7 <"),
            "<bmap version=\"2.0\">")) {
      assertThatThrownBy(() -> parse(xml.getBytes(StandardCharsets.US_ASCII)))
          .isInstanceOf(BmapFormatException.class)
          .satisfies(
              e -> {
                assertThat(e.getMessage()).startsWith("test.bmap");
                assertThat(e.getMessage()).doesNotContain("\n");
              });
    }
  }

  private static Bmap parse(byte[] raw) throws BmapFormatException {
    return BmapParser.parse(raw, "test.bmap");
  }

  /** The gold bmap with one edit, resealed so that its file checksum is right again. */
  private static String edit(String from, String to) {
    String xml = text("gold.img.bmap");
    if (!xml.contains(from)) {
      throw new IllegalArgumentException("not in gold.img.bmap: " + from);
    }
    return new String(reseal(xml.replace(from, to)), StandardCharsets.US_ASCII);
  }

  private static String line(String xml, String part) {
    return xml.lines().filter(l -> l.contains(part)).findFirst().orElseThrow();
  }

  private static void assertError(String xml, String element, String problem) {
    byte[] raw = reseal(xml);
    assertThatThrownBy(() -> parse(raw))
        .isInstanceOf(BmapFormatException.class)
        .satisfies(
            e -> {
              BmapFormatException b = (BmapFormatException) e;
              assertThat(b.element()).isEqualTo(element);
              assertThat(b.line()).isPositive();
              assertThat(b.getMessage())
                  .isEqualTo("test.bmap:" + b.line() + ": <" + element + ">: " + problem);
            });
  }
}
