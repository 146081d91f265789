package dev.intact.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.image.ByteRange;
import dev.intact.server.TestDaemon;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientBehaviourTest {
  @TempDir static Path dir;
  static TestDaemon daemon;
  static TransferClient client;

  @BeforeAll
  static void start() throws Exception {
    daemon = TestDaemon.start(dir.resolve("d"));
    client = new TransferClient(TestDaemon.trusting(daemon.server().certificate()));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    daemon.close();
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void aRangeIsTransferredAndVerifiedAlone() throws Exception {
    byte[] data = random(300_000);
    Path src = Files.write(dir.resolve("r.raw"), data);
    byte[] before = random(300_001);
    Path dst = Files.write(daemon.root().resolve("r.raw"), Arrays.copyOf(before, 300_000));
    URI url = daemon.imageUri(daemon.addTicket(dst, 300_000, true));
    TransferResult r =
        client.upload(
            src,
            List.of(url),
            TransferOptions.defaults().withRange(new ByteRange(65_536, 200_000)));
    assertThat(r.verified()).isTrue();
    assertThat(r.range()).isEqualTo(new ByteRange(65_536, 200_000));
    byte[] expect = Arrays.copyOf(before, 300_000);
    System.arraycopy(data, 65_536, expect, 65_536, 200_000 - 65_536);
    assertThat(Files.readAllBytes(dst)).isEqualTo(expect);
  }

  @Test
  void aDaemonWhoseDiskIsFullIsHeardNotTakenForAClosedConnection() throws Exception {
    // The storage refuses the first write of a 16 MiB PUT with ENOSPC: the daemon answers 507
    // while most of the body is still on its way. What the user must hear is that answer, not
    // "closed the connection mid-transfer (stopped or restarted?)".
    Faults faults = new Faults();
    Path src = Files.write(dir.resolve("mid.raw"), random(48 << 20));
    try (TestDaemon failing =
            TestDaemon.start(
                dir.resolve("failing"), faults, java.util.function.UnaryOperator.identity());
        TransferClient trusting =
            new TransferClient(TestDaemon.trusting(failing.server().certificate()))) {
      for (int round = 0; round < 3; round++) {
        faults.arm(new Faults.Plan(Faults.Kind.FULL_DISK, 0, 0));
        Path dst = failing.image("mid" + round + ".raw", 48 << 20);
        URI url = failing.imageUri(failing.addTicket(dst, 48 << 20, true));
        assertThatThrownBy(() -> trusting.upload(src, List.of(url), TransferOptions.defaults()))
            .isInstanceOf(ImageServerException.class)
            .hasMessageContaining("HTTP 507: no space left on the daemon's storage");
      }
    }
  }

  @Test
  void fallsBackToTheProxyUrlWhenTheDirectOneIsUnreachable() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    byte[] data = random(100_000);
    Path src = Files.write(dir.resolve("p.raw"), data);
    Path dst = daemon.image("p.raw", 100_000);
    String id = daemon.addTicket(dst, 100_000, true);
    URI unreachable = URI.create("https://127.0.0.1:" + closed + "/images/" + id);
    TransferResult r =
        client.upload(src, List.of(unreachable, daemon.imageUri(id)), TransferOptions.defaults());
    assertThat(r.verified()).isTrue();
    assertThat(Files.readAllBytes(dst)).isEqualTo(data);
    assertThatThrownBy(() -> client.upload(src, List.of(unreachable), TransferOptions.defaults()))
        .hasMessageContaining("cannot connect to https://127.0.0.1:" + closed + "/images/")
        .hasMessageNotContaining(id);
  }

  @Test
  void refusesADestinationSmallerThanTheSource() throws Exception {
    Path src = Files.write(dir.resolve("big.raw"), random(70_000));
    Path dst = daemon.image("small.raw", 65_536);
    URI url = daemon.imageUri(daemon.addTicket(dst, 65_536, true));
    assertThatThrownBy(() -> client.upload(src, List.of(url), TransferOptions.defaults()))
        .hasMessageContaining("holds 65536 bytes; the transfer needs 70000");
    assertThat(Files.readAllBytes(dst)).isEqualTo(new byte[65_536]);
  }

  @Test
  void writeOnAReadTicketIsRefusedWithWhatOptionsSaid() throws Exception {
    Path src = Files.write(dir.resolve("w.raw"), random(10_000));
    Path dst = daemon.image("w.raw", 10_000);
    URI url = daemon.imageUri(daemon.addTicket(dst, 10_000, false));
    assertThatThrownBy(() -> client.upload(src, List.of(url), TransferOptions.defaults()))
        .isInstanceOf(ReadOnlyTicketException.class)
        .hasMessageContaining(
            "does not allow write: its ticket is read-only (OPTIONS allows OPTIONS, GET)");
  }

  @Test
  void anExpectedValueNeedsItsAlgorithm() {
    assertThatThrownBy(() -> ExpectedChecksum.parse("sha256", java.util.OptionalLong.empty()))
        .hasMessageContaining("ALGORITHM:HEXVALUE");
  }
}
