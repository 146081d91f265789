package dev.intact.core.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XrdCksRecordTest {
  private static final byte[] NINE = "123456789".getBytes(StandardCharsets.US_ASCII);

  static byte[] fixture(String name) throws IOException {
    try (InputStream in =
        XrdCksRecordTest.class.getResourceAsStream("xrootd-5.5.3/" + name + ".bin")) {
      assertThat(in).as("fixture " + name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** Each XRootD name is the Intact algorithm the server's own record of "123456789" proves. */
  @ParameterizedTest
  @CsvSource({"adler32,adler32", "crc32,cksum", "crc32c,crc32c", "md5,md5", "zcrc32,crc32"})
  void serverRecordOfNineHoldsWhatIntactsMappedAlgorithmComputes(String xrootd, String intact)
      throws IOException {
    XrdCksRecord r = XrdCksRecord.decode(xrootd, fixture("xrootd-server-" + xrootd + "-nine"));
    ChecksumType type = ChecksumType.parse(intact, OptionalLong.empty());

    assertThat(XrootdNames.intactType(xrootd)).contains(type);
    assertThat(XrootdNames.xrootdName(type)).contains(xrootd);
    HashCode computed = OnePassChecksums.newHasher(type).update(NINE).finish();
    assertThat(XrootdNames.fromXrootd(xrootd, r.value())).isEqualTo(computed);
    assertThat(r.fmTime()).isEqualTo(0x6b0fbb5fL);
  }

  @Test
  void zcrc32StoresZlibsValueWithItsBytesReversed() throws IOException {
    XrdCksRecord r = XrdCksRecord.decode("zcrc32", fixture("xrootd-server-zcrc32-nine"));

    assertThat(r.value().toHex()).isEqualTo("2639f4cb");
    assertThat(XrootdNames.fromXrootd("zcrc32", r.value()).toHex()).isEqualTo("cbf43926");
  }

  @Test
  void recordsIntactWritesAreByteForByteWhatXrootdWrites() throws IOException {
    for (String name : new String[] {"adler32", "crc32", "crc32c", "md5", "zcrc32"}) {
      byte[] real = fixture("xrootd-server-" + name + "-nine");
      XrdCksRecord r = XrdCksRecord.decode(name, real);

      assertThat(new XrdCksRecord(name, r.fmTime(), r.csTime(), r.value()).encode())
          .as(name)
          .isEqualTo(real);
    }
  }

  @Test
  void xrdadler32RecordKeepsTheOldMtimeAndANegativeLookingCsTime() throws IOException {
    XrdCksRecord r = XrdCksRecord.decode("adler32", fixture("xrdadler32-old-mtime"));

    assertThat(r.fmTime()).isEqualTo(1);
    assertThat(r.csTime()).isEqualTo(0x6b0fbb95);
    assertThat(r.value().toHex()).isEqualTo("024d0127");
  }

  @Test
  void truncatedRecordIsRefusedThoughXrootdAcceptsIt() throws IOException {
    byte[] real = fixture("xrootd-server-adler32-nine");

    assertThatThrownBy(() -> XrdCksRecord.decode("adler32", Arrays.copyOf(real, 95)))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessage("user.XrdCks.adler32: truncated XRootD record: 95 bytes, expected 96");
  }

  @Test
  void oversizedRecordIsRefused() throws IOException {
    byte[] real = fixture("xrootd-server-adler32-nine");

    assertThatThrownBy(() -> XrdCksRecord.decode("adler32", Arrays.copyOf(real, 97)))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("oversized XRootD record: 97 bytes");
  }

  @Test
  void recordNamedForAnotherAlgorithmIsRefused() throws IOException {
    byte[] crc32c = fixture("xrootd-server-crc32c-nine");

    assertThatThrownBy(() -> XrdCksRecord.decode("adler32", crc32c))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("named 'crc32c', not 'adler32'");
  }

  @Test
  void lengthByteOutsideTheValueFieldIsRefused() throws IOException {
    byte[] raw = fixture("xrootd-server-adler32-nine");
    raw[31] = 65;

    assertThatThrownBy(() -> XrdCksRecord.decode("adler32", raw))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("value length 65 is not within 1-64");
  }

  @Test
  void bytesAfterTheValueAreRefused() throws IOException {
    byte[] raw = fixture("xrootd-server-adler32-nine");
    raw[40] = 1;

    assertThatThrownBy(() -> XrdCksRecord.decode("adler32", raw))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("data past its 4-byte value");
  }

  @Test
  void nameThatIsNotAsciiTextIsRefused() throws IOException {
    byte[] raw = fixture("xrootd-server-adler32-nine");
    raw[0] = (byte) 0xc3;

    assertThatThrownBy(() -> XrdCksRecord.decode("adler32", raw))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("not ASCII text");
  }

  @Test
  void constructorRefusesNamesAndValuesTheLayoutCannotHold() {
    HashCode four = HashCode.ofLong(1, 4);

    assertThatThrownBy(() -> new XrdCksRecord("a-name-too-long!", 0, 0, four))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new XrdCksRecord("md5", 0, 0, HashCode.of(new byte[65])))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
