package dev.intact.cli.transfer;

import static dev.intact.cli.transfer.TransferCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.cli.transfer.TransferCliTest.Run;
import dev.intact.core.image.ForwardingWritableImage;
import dev.intact.core.image.WritableImage;
import dev.intact.core.testing.ExternalTool;
import dev.intact.core.testing.QemuNbdLeaks;
import dev.intact.server.NbdPeer;
import dev.intact.server.TestDaemon;
import dev.intact.server.image.StorageFactory;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfers of qcow2 images: a qcow2 source uploads its guest's disk, a download writes a qcow2
 * through qemu-nbd, and a daemon ticket names a qemu-nbd serving a qcow2 (nbd:unix:).
 */
@SuppressWarnings("try") // TestDaemon and NbdPeer close() wait, so may throw InterruptedException
class NbdTransferCliTest {
  static final ExternalTool QEMU_IMG = NbdPeer.QEMU_IMG;
  static final ExternalTool TAR = ExternalTool.of("tar", "tar");
  static final int SIZE = 4 << 20;
  @TempDir Path dir;

  /** 4 MiB: data, a hole, data with a zero run, a hole at the end. */
  Path sourceRaw() throws IOException {
    Path src = dir.resolve("src.raw");
    byte[] a = new byte[1 << 20];
    new Random(5).nextBytes(a);
    try (RandomAccessFile f = new RandomAccessFile(src.toFile(), "rw")) {
      f.setLength(SIZE);
      f.write(a);
      f.seek(2 << 20);
      f.write(a, 0, 700_000);
      f.seek((2 << 20) + 800_000);
      f.write(a, 0, 100_000);
    }
    return src;
  }

  static String checksumOf(Run r) {
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("verified ");
    return r.out().split(" ", -1)[2];
  }

  @Test
  void aQcow2AndAnOvaMemberUploadExactlyAsTheirRawDisk() throws Exception {
    Path raw = sourceRaw();
    Path qcow2 = dir.resolve("src.qcow2");
    QEMU_IMG.run("convert", "-f", "raw", "-O", "qcow2", raw.toString(), qcow2.toString());
    TAR.run("-C", dir.toString(), "-cf", dir.resolve("vm.ova").toString(), "src.qcow2");
    Set<Path> before = QemuNbdLeaks.socketDirs();
    try (TestDaemon d = TestDaemon.start(dir)) {
      String cafile = d.server().certificate().toString();
      Path fromRaw = d.image("from-raw.raw", SIZE);
      Path fromQcow2 = d.image("from-qcow2.raw", SIZE);
      Path fromOva = d.image("from-ova.raw", SIZE);
      String rawUrl = d.imageUri(d.addTicket(fromRaw, SIZE, true)).toString();
      String qcow2Url = d.imageUri(d.addTicket(fromQcow2, SIZE, true)).toString();
      String ovaUrl = d.imageUri(d.addTicket(fromOva, SIZE, true)).toString();

      String sumRaw = checksumOf(run(new UploadCommand(), "--cafile", cafile, "" + raw, rawUrl));
      String sumQcow2 =
          checksumOf(run(new UploadCommand(), "--cafile", cafile, "" + qcow2, qcow2Url));
      String sumOva =
          checksumOf(
              run(
                  new UploadCommand(),
                  "--cafile",
                  cafile,
                  "--member",
                  "src.qcow2",
                  dir.resolve("vm.ova").toString(),
                  ovaUrl));
      assertThat(sumQcow2).isEqualTo(sumRaw);
      assertThat(sumOva).isEqualTo(sumRaw);
      QEMU_IMG.run("compare", "-f", "raw", "-F", "raw", "" + fromQcow2, "" + raw);
      QEMU_IMG.run("compare", "-f", "raw", "-F", "raw", "" + fromOva, "" + raw);

      // -f raw sends the qcow2 file's own bytes: a different image, so a different checksum.
      String fileBytes =
          checksumOf(run(new UploadCommand(), "--cafile", cafile, "-f", "raw", "" + qcow2, rawUrl));
      assertThat(fileBytes).isNotEqualTo(sumRaw);

      Run missing = run(new UploadCommand(), "--cafile", cafile, "" + dir.resolve("no"), rawUrl);
      assertThat(missing.status()).isEqualTo(1);
      assertThat(missing.err()).contains(dir.resolve("no") + ": No such file or directory");
    }
    assertThat(QemuNbdLeaks.children()).isEmpty();
    assertThat(QemuNbdLeaks.socketDirs()).isEqualTo(before);
  }

  @Test
  void aDownloadWritesAQcow2ThroughQemuNbdAndLeavesNothingRunning() throws Exception {
    Path raw = sourceRaw();
    Set<Path> before = QemuNbdLeaks.socketDirs();
    try (TestDaemon d = TestDaemon.start(dir)) {
      String cafile = d.server().certificate().toString();
      Path served = Files.copy(raw, d.root().resolve("served.raw"));
      String url = d.imageUri(d.addTicket(served, SIZE, false)).toString();

      Path byName = dir.resolve("out.qcow2");
      Run dn = run(new DownloadCommand(), "--cafile", cafile, url, byName.toString());
      assertThat(checksumOf(dn)).startsWith("blkhash:");
      assertThat(dn.out()).contains("to " + byName + " (qcow2)");
      Path explicit = dir.resolve("out.img");
      Run o = run(new DownloadCommand(), "--cafile", cafile, "-O", "qcow2", url, "" + explicit);
      assertThat(o.status()).as(o.err()).isZero();
      for (Path out : List.of(byName, explicit)) {
        assertThat(QEMU_IMG.run("info", "--output=json", out.toString()))
            .contains("\"format\": \"qcow2\"");
        QEMU_IMG.run("compare", "-f", "qcow2", "-F", "raw", out.toString(), raw.toString());
        QEMU_IMG.run("check", "-q", "-f", "qcow2", out.toString());
        // The holes and the zero run took no clusters.
        assertThat(Files.size(out)).isLessThan(3L << 20);
      }
      Run forcedRaw =
          run(
              new DownloadCommand(),
              "--cafile",
              cafile,
              "-O",
              "raw",
              url,
              dir.resolve("plain.qcow2").toString());
      assertThat(forcedRaw.status()).as(forcedRaw.err()).isZero();
      assertThat(Files.mismatch(dir.resolve("plain.qcow2"), raw)).isEqualTo(-1);

      Run exists = run(new DownloadCommand(), "--cafile", cafile, url, byName.toString());
      assertThat(exists.status()).isEqualTo(1);
      assertThat(exists.err()).contains(byName.toString());
      QEMU_IMG.run("compare", "-f", "qcow2", "-F", "raw", byName.toString(), raw.toString());

      Run vmdk = run(new DownloadCommand(), "-O", "vmdk", url, dir.resolve("x.vmdk").toString());
      assertThat(vmdk.status()).isEqualTo(2);
      assertThat(vmdk.err()).contains("-O/--output-format must be one of raw, qcow2");
    }
    assertThat(QemuNbdLeaks.children()).isEmpty();
    assertThat(QemuNbdLeaks.socketDirs()).isEqualTo(before);
  }

  /** Storage whose reads flip a bit in transit; checksum jobs read the true storage. */
  static final StorageFactory FLIP_READS =
      new StorageFactory() {
        @Override
        public WritableImage open(Path path, boolean blockDevice, boolean writable)
            throws IOException {
          return new ForwardingWritableImage(
              StorageFactory.STORAGE.open(path, blockDevice, writable)) {
            @Override
            public void readFully(long position, byte[] dst, int offset, int length)
                throws IOException {
              delegate().readFully(position, dst, offset, length);
              dst[offset] ^= 1;
            }
          };
        }
      };

  @Test
  void aQcow2DownloadThatFailsVerificationIsRemovedWithItsQemuNbd() throws Exception {
    Path raw = sourceRaw();
    Set<Path> before = QemuNbdLeaks.socketDirs();
    try (TestDaemon d = TestDaemon.start(dir, FLIP_READS, c -> c)) {
      Path served = Files.copy(raw, d.root().resolve("served.raw"));
      String url = d.imageUri(d.addTicket(served, SIZE, false)).toString();
      Path out = dir.resolve("bad.qcow2");
      Run dn =
          run(
              new DownloadCommand(),
              "--cafile",
              d.server().certificate().toString(),
              url,
              out.toString());
      assertThat(dn.status()).isEqualTo(1);
      assertThat(dn.err()).contains("verification failed", "the source's storage has");
      assertThat(out).doesNotExist();
    }
    assertThat(QemuNbdLeaks.children()).isEmpty();
    assertThat(QemuNbdLeaks.socketDirs()).isEqualTo(before);
  }

  @Test
  void anUploadToATicketServedByQemuNbdLandsInItsQcow2() throws Exception {
    Path raw = sourceRaw();
    Path sockets = Files.createDirectories(dir.resolve("nbd"));
    Path qcow2 = dir.resolve("dst.qcow2");
    QEMU_IMG.run("create", "-q", "-f", "qcow2", qcow2.toString(), "" + SIZE);
    try (TestDaemon d =
            TestDaemon.start(
                dir, StorageFactory.STORAGE, c -> c.withNbdSocketDirs(List.of(sockets)));
        NbdPeer qemu = NbdPeer.qemuNbd(sockets.resolve("dst.sock"), "qcow2", qcow2)) {
      // `intact ticket add` takes the NBD URL and asks the export for its size.
      Run add =
          run(
              new TicketCommand(),
              "add",
              "--control-port",
              "" + d.server().controlUri().orElseThrow().getPort(),
              "--control-token-file",
              "" + d.server().controlTokenFile().orElseThrow(),
              "--write",
              "--data-url",
              d.server().dataUri().toString(),
              qemu.url());
      assertThat(add.status()).as(add.err()).isZero();
      String url = add.out().strip();
      String id = url.substring(url.lastIndexOf('/') + 1);
      Run show =
          run(
              new TicketCommand(),
              "show",
              "--control-port",
              "" + d.server().controlUri().orElseThrow().getPort(),
              "--control-token-file",
              "" + d.server().controlTokenFile().orElseThrow(),
              id);
      assertThat(show.status()).as(show.err()).isZero();
      assertThat(show.out()).contains("\"size\":" + SIZE, qemu.url());
      Run up = run(new UploadCommand(), "--cafile", "" + d.server().certificate(), "" + raw, url);
      assertThat(checksumOf(up)).startsWith("blkhash:");
      Path back = dir.resolve("back.qcow2");
      Run dn =
          run(new DownloadCommand(), "--cafile", "" + d.server().certificate(), url, "" + back);
      assertThat(dn.status()).as(dn.err()).isZero();
      QEMU_IMG.run("compare", "-f", "qcow2", "-F", "raw", back.toString(), raw.toString());
    }
    QEMU_IMG.run("compare", "-f", "qcow2", "-F", "raw", qcow2.toString(), raw.toString());
    QEMU_IMG.run("check", "-q", "-f", "qcow2", qcow2.toString());
  }

  @Test
  void serveTakesNbdAllowListsAsFlags() {
    ServeCommand serve = new ServeCommand();
    new picocli.CommandLine(serve)
        .parseArgs("--nbd-socket-dir", "/run/vdsm/nbd", "--nbd-host", "nbd.example.org:10809");
    var c = serve.config();
    assertThat(c.nbdSocketDirs()).containsExactly(Path.of("/run/vdsm/nbd"));
    assertThat(c.nbdHosts()).containsExactly("nbd.example.org:10809");
  }
}
