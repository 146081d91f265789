package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intact's records against the real XRootD 5.5 tools: the server ({@code xrdfs query checksum}),
 * {@code xrdcp --cksum} uploads and {@code xrdadler32}. A record is proved to be read (not
 * recomputed) by changing the data under an unchanged mtime: the peer still answers the stored
 * value, while {@code intact verify} reports the mismatch.
 */
class RecordXrootdInteropTest {
  private static XrootdServer server;

  @TempDir Path local;

  @BeforeAll
  static void startServer() throws IOException {
    server = XrootdServer.start();
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private static Path randomFile(Path dir, String name, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(name.hashCode()).nextBytes(data);
    return Files.write(dir.resolve(name), data);
  }

  /** Flips a byte and puts the mtime back: only a checksum can tell. */
  private static void corruptKeepingMtime(Path f, long offset) throws IOException {
    FileTime mtime = Files.getLastModifiedTime(f);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x40);
    }
    Files.setLastModifiedTime(f, mtime);
  }

  private static Map<String, String> recordedValues(String line) {
    Map<String, String> values = new LinkedHashMap<>();
    Matcher m = Pattern.compile("([a-z0-9-]+)=([0-9a-f]+)").matcher(line);
    while (m.find()) {
      values.put(m.group(1), m.group(2));
    }
    return values;
  }

  @Test
  void serverAnswersTheValuesIntactRecordedAndIntactCatchesTheChangeTheServerCannot()
      throws IOException {
    Path f = randomFile(server.export(), "recorded.bin", 1_000_000);
    server.handOver(f);

    IntactRun.Result r =
        IntactRun.run("record", "-a", "adler32,cksum,crc32c,md5,crc32", f.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    Map<String, String> v = recordedValues(r.out());
    assertThat(server.queryChecksum(f, "adler32")).isEqualTo(v.get("adler32"));
    assertThat(server.queryChecksum(f, "crc32")).isEqualTo(v.get("cksum"));
    assertThat(server.queryChecksum(f, "crc32c")).isEqualTo(v.get("crc32c"));
    assertThat(server.queryChecksum(f, "md5")).isEqualTo(v.get("md5"));
    String crc32 = v.get("crc32");
    String reversed =
        crc32.substring(6, 8)
            + crc32.substring(4, 6)
            + crc32.substring(2, 4)
            + crc32.substring(0, 2);
    assertThat(server.queryChecksum(f, "zcrc32")).isEqualTo(reversed);

    corruptKeepingMtime(f, 123_456);

    assertThat(server.queryChecksum(f, "adler32")).isEqualTo(v.get("adler32"));
    IntactRun.Result verify = IntactRun.run("verify", f.toString());
    assertThat(verify.exit()).isEqualTo(1);
    assertThat(verify.out())
        .startsWith(f + ": FAILED ")
        .contains("adler32 expected " + v.get("adler32") + " actual ");
  }

  @Test
  void recordsXrdcpWroteOnUploadAreVerifiedAndCorruptionFails() throws IOException {
    Path source = randomFile(local, "upload.bin", 300_000);
    Path uploaded = server.export().resolve("upload.bin");

    XrootdServer.XRDCP.run("--cksum", "adler32", source.toString(), server.url() + "/" + uploaded);

    IntactRun.Result ok = IntactRun.run("verify", "--require", "adler32", uploaded.toString());
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).isEqualTo(uploaded + ": OK\n");

    corruptKeepingMtime(uploaded, 0);

    IntactRun.Result bad = IntactRun.run("verify", uploaded.toString());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out()).startsWith(uploaded + ": FAILED adler32 expected ");
  }

  @Test
  void xrdadler32PrintsIntactsRecordAndIntactVerifiesXrdadler32s() throws IOException {
    Path byIntact = randomFile(local, "by-intact", 200_000);
    IntactRun.Result r = IntactRun.run("record", "-a", "adler32", byIntact.toString());
    String recorded = recordedValues(r.out()).get("adler32");
    corruptKeepingMtime(byIntact, 10);

    // The data changed, the record did not: xrdadler32 printing the recorded value proves it read
    // Intact's record rather than computing.
    assertThat(XrootdServer.XRDADLER32.run(byIntact.toString()))
        .isEqualTo(recorded + " " + byIntact + "\n");

    Path byPeer = randomFile(local, "by-xrdadler32", 200_000);
    String peerLine = XrootdServer.XRDADLER32.run(byPeer.toString());
    String peer = peerLine.substring(0, peerLine.indexOf(' '));
    IntactRun.Result verify = IntactRun.run("verify", "--json", byPeer.toString());
    assertThat(verify.exit()).isZero();
    assertThat(verify.out())
        .contains("\"algorithm\":\"adler32\",\"outcome\":\"OK\",\"expected\":\"" + peer + "\"");
  }
}
