package dev.intact.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.LocalImage;
import dev.intact.server.TestDaemon;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole-stream algorithms verified inline: parallel connections send chunks out of order, yet the
 * source's value is hashed in stream order while reading, once, and equals what coreutils computes.
 */
class WholeStreamTransferTest {
  static final long MIB = 1 << 20;
  // Several 4 MiB chunks, holes between them and an unaligned end: 4 workers finish out of order.
  static final Layout LAYOUT =
      Layout.of(
          "holes and data",
          13 * MIB + 777,
          0,
          3 * MIB + 5,
          6 * MIB,
          9 * MIB,
          12 * MIB,
          13 * MIB + 777);

  @TempDir static Path dir;
  static TestDaemon a;
  static TestDaemon b;
  static TransferClient client;
  static int n;

  @BeforeAll
  static void start() throws Exception {
    a = TestDaemon.start(dir.resolve("a"));
    b = TestDaemon.start(dir.resolve("b"));
    Path both = dir.resolve("both.pem");
    java.nio.file.Files.writeString(
        both,
        java.nio.file.Files.readString(a.server().certificate())
            + java.nio.file.Files.readString(b.server().certificate()));
    client = new TransferClient(ClientTls.caFile(both));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    a.close();
    b.close();
  }

  static TransferOptions options(String algorithm) {
    return TransferOptions.defaults()
        .withChecksumType(ChecksumType.parse(algorithm, OptionalLong.empty()))
        .withConnections(4);
  }

  static URI ticket(TestDaemon d, Path file, long size, boolean write) throws Exception {
    return d.imageUri(d.addTicket(file, size, write));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha256", "crc32c"})
  void uploadDownloadAndCopyVerifyTheWholeStreamValue(String algorithm) throws Exception {
    Path src = LAYOUT.build(dir.resolve("src" + n++ + ".raw"), n);
    Checksum expected = reference(src, algorithm);

    Path dst = a.image("up" + n++ + ".raw", LAYOUT.size());
    TransferResult up =
        client.upload(src, List.of(ticket(a, dst, LAYOUT.size(), true)), options(algorithm));
    assertThat(up.verified()).isTrue();
    assertThat(up.checksum().type().name()).isEqualTo(algorithm);
    assertThat(up.checksum().value()).isEqualTo(expected.value());
    QemuImg.assertSame(src, dst);

    Path down = dir.resolve("down" + n++ + ".raw");
    TransferResult dn =
        client.download(List.of(ticket(a, dst, LAYOUT.size(), false)), down, options(algorithm));
    assertThat(dn.checksum().value()).isEqualTo(expected.value());
    QemuImg.assertSame(src, down);

    Path copy = b.image("copy" + n++ + ".raw", LAYOUT.size());
    TransferResult cp =
        client.copy(
            List.of(ticket(a, dst, LAYOUT.size(), false)),
            List.of(ticket(b, copy, LAYOUT.size(), true)),
            options(algorithm));
    assertThat(cp.checksum().value()).isEqualTo(expected.value());
    QemuImg.assertSame(src, copy);
  }

  @Test
  void sha256IsTheValueSha256sumPrints() throws Exception {
    Path src = LAYOUT.build(dir.resolve("sum" + n++ + ".raw"), n);
    Path dst = a.image("sum" + n++ + ".raw", LAYOUT.size());
    TransferResult up =
        client.upload(src, List.of(ticket(a, dst, LAYOUT.size(), true)), options("sha256"));
    assertThat(up.checksum().value().toHex()).isEqualTo(sha256sum(src));
  }

  @Test
  @org.junit.jupiter.api.Timeout(120) // a worker left waiting would hang the upload
  void aFailingWorkerReleasesTheOthersWaitingForTheirTurn() throws Exception {
    // The first chunk's PUT fails at the storage; the workers holding later chunks wait for its
    // turn in stream order and must be released with the failure, not left hanging.
    Faults faults = new Faults();
    faults.arm(new Faults.Plan(Faults.Kind.FAIL_WRITE, 0, 0));
    Path src = LAYOUT.build(dir.resolve("fail" + n++ + ".raw"), n);
    try (TestDaemon failing =
            TestDaemon.start(
                dir.resolve("failing"), faults, java.util.function.UnaryOperator.identity());
        TransferClient trusting =
            new TransferClient(ClientTls.caFile(failing.server().certificate()))) {
      Path dst = failing.image("fail.raw", LAYOUT.size());
      URI url = ticket(failing, dst, LAYOUT.size(), true);
      assertThatThrownBy(() -> trusting.upload(src, List.of(url), options("sha256")))
          .isInstanceOf(ImageServerException.class)
          .hasMessageContaining("HTTP 500");
    }
  }

  @Test
  void aReadOnlyTicketIsRefusedBeforeAnythingIsSent() throws Exception {
    Path src = LAYOUT.build(dir.resolve("ro" + n++ + ".raw"), n);
    Path dst = a.image("ro" + n++ + ".raw", LAYOUT.size());
    URI readOnly = ticket(a, dst, LAYOUT.size(), false);
    assertThatThrownBy(() -> client.upload(src, List.of(readOnly), options("sha256")))
        .isInstanceOf(ReadOnlyTicketException.class)
        .hasMessageContaining("does not allow write: its ticket is read-only");
    // A verify-only run sends nothing, so a read-only ticket is enough for it.
    assertThatThrownBy(
            () -> client.upload(src, List.of(readOnly), options("sha256").withVerifyOnly(true)))
        .isInstanceOf(ChecksumMismatchException.class);
  }

  static Checksum reference(Path file, String algorithm) throws IOException {
    try (LocalImage image = LocalImage.openRead(file)) {
      return ChecksumEngine.withThreads(1)
          .compute(
              image,
              ChecksumType.parse(algorithm, OptionalLong.empty()),
              ByteRange.whole(image.size()),
              ProgressListener.NONE);
    }
  }

  static String sha256sum(Path file) throws Exception {
    Process p = new ProcessBuilder("sha256sum", file.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("sha256sum failed on " + file + ": " + out);
    }
    return out.substring(0, 64);
  }
}
