package dev.intact.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.server.TestDaemon;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The main job from the command line: ticket, verified upload, corruption caught, repaired. */
@SuppressWarnings("try") // TestDaemon.close() waits, so it may throw InterruptedException
class TransferCliTest {
  @TempDir Path dir;

  record Run(int status, String out, String err) {}

  static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void ticketUploadCorruptVerifyRepairDownload() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      String port = String.valueOf(d.server().controlUri().orElseThrow().getPort());
      String token = d.server().controlTokenFile().orElseThrow().toString();
      String cafile = d.server().certificate().toString();
      long size = 1 << 20;
      byte[] data = new byte[(int) size];
      new Random(3).nextBytes(data);
      java.util.Arrays.fill(data, 300_000, 700_000, (byte) 0);
      Path src = Files.write(dir.resolve("src.raw"), data);
      Path dst = d.image("dst.raw", size);

      Run add =
          run(
              new TicketCommand(),
              "add",
              "--control-port",
              port,
              "--control-token-file",
              token,
              "--write",
              "--data-url",
              d.server().dataUri().toString(),
              dst.toString());
      assertThat(add.status()).as(add.err()).isZero();
      String url = add.out().strip();
      String id = url.substring(url.lastIndexOf('/') + 1);
      assertThat(url).startsWith(d.server().dataUri().toString());
      assertThat(
              run(
                      new TicketCommand(),
                      "show",
                      "--control-port",
                      port,
                      "--control-token-file",
                      token,
                      id)
                  .out())
          .contains("\"size\":1048576", "\"ops\":[\"read\",\"write\"]");

      Run up = run(new UploadCommand(), "--cafile", cafile, src.toString(), url);
      assertThat(up.status()).as(up.err()).isZero();
      assertThat(up.out())
          .startsWith("verified upload blkhash:")
          .contains("1048576 bytes [0, 1048576)");
      assertThat(up.out()).doesNotContain(id);
      assertThat(Files.readAllBytes(dst)).isEqualTo(data);

      // One block goes bad at the destination: the next verification says so, naming both values.
      try (RandomAccessFile f = new RandomAccessFile(dst.toFile(), "rw")) {
        f.seek(70_000);
        f.write(new byte[] {1, 2, 3});
      }
      Run check =
          run(new UploadCommand(), "--cafile", cafile, "--verify-only", src.toString(), url);
      assertThat(check.status()).isEqualTo(1);
      assertThat(check.err())
          .contains(
              "verification failed", "blkhash", "the destination's storage has", "hint: --repair");
      Run repair =
          run(
              new UploadCommand(),
              "--cafile",
              cafile,
              "--verify-only",
              "--repair",
              "--json",
              src.toString(),
              url);
      assertThat(repair.status()).as(repair.err()).isZero();
      com.fasterxml.jackson.databind.JsonNode repaired =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(repair.out());
      assertThat(repaired.get("repair_rounds").asInt()).isEqualTo(1);
      assertThat(repaired.get("repaired_blocks").asLong()).isEqualTo(1);
      assertThat(repaired.get("data_bytes").asLong()).isEqualTo(65536);
      assertThat(repaired.get("verified").asBoolean()).isTrue();
      assertThat(Files.readAllBytes(dst)).isEqualTo(data);

      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
      Path down = dir.resolve("down.raw");
      Run dn =
          run(
              new DownloadCommand(),
              "--cafile",
              cafile,
              "--expected",
              "sha256:" + sha,
              url,
              down.toString());
      assertThat(dn.status()).as(dn.err()).isZero();
      assertThat(Files.readAllBytes(down)).isEqualTo(data);
      Path down2 = dir.resolve("down2.raw");
      Run dnJson =
          run(
              new DownloadCommand(),
              "--cafile",
              cafile,
              "-a",
              "sha256",
              "--json",
              url,
              down2.toString());
      assertThat(dnJson.status()).as(dnJson.err()).isZero();
      com.fasterxml.jackson.databind.JsonNode dnRec =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(dnJson.out());
      assertThat(dnRec.get("operation").asText()).isEqualTo("download");
      assertThat(dnRec.get("checksum").asText()).isEqualTo(sha);
      assertThat(dnRec.get("target").asText()).isEqualTo(down2.toString());

      Run wrong =
          run(
              new UploadCommand(),
              "--cafile",
              cafile,
              "--expected",
              "sha256:" + "0".repeat(64),
              src.toString(),
              url);
      assertThat(wrong.status()).isEqualTo(1);
      assertThat(wrong.err()).contains("--expected has sha256 " + "0".repeat(64), sha);

      Run unverified =
          run(new UploadCommand(), "--cafile", cafile, "--no-verify", src.toString(), url);
      assertThat(unverified.status()).isZero();
      assertThat(unverified.err()).contains("warning: --no-verify", "was NOT verified");
      assertThat(unverified.out()).startsWith("unverified upload");

      Run whole = run(new UploadCommand(), "--cafile", cafile, "-a", "sha256", src.toString(), url);
      assertThat(whole.status()).as(whole.err()).isZero();
      assertThat(whole.out()).startsWith("verified upload sha256:" + sha + " ");

      Run untrusted = run(new UploadCommand(), src.toString(), url);
      assertThat(untrusted.status()).isEqualTo(1);
      assertThat(untrusted.err())
          .startsWith("intact: cannot trust the certificate of https://")
          .contains("--cafile", "--insecure")
          .doesNotContain("PKIX", "Exception", id);
      assertThat(untrusted.err().lines().count()).isEqualTo(1);

      Run plain = run(new UploadCommand(), src.toString(), url.replace("https://", "http://"));
      assertThat(plain.status()).isEqualTo(1);
      assertThat(plain.err())
          .contains("the daemon speaks HTTPS; write https://")
          .doesNotContain("oejc", "@", id);
      assertThat(plain.err().lines().count()).isEqualTo(1);

      Run json =
          run(
              new UploadCommand(),
              "--cafile",
              cafile,
              "-a",
              "sha256",
              "-r",
              "0:64K",
              "--json",
              src.toString(),
              url);
      assertThat(json.status()).as(json.err()).isZero();
      com.fasterxml.jackson.databind.JsonNode rec =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
      String sha64k =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(java.util.Arrays.copyOf(data, 65536)));
      assertThat(rec.get("operation").asText()).isEqualTo("upload");
      assertThat(rec.get("verified").asBoolean()).isTrue();
      assertThat(rec.get("algorithm").asText()).isEqualTo("sha256");
      assertThat(rec.get("checksum").asText()).isEqualTo(sha64k);
      assertThat(rec.get("size").asLong()).isEqualTo(65536);
      assertThat(rec.get("range").get("end").asLong()).isEqualTo(65536);
      assertThat(rec.get("repaired_blocks").asLong()).isZero();
      assertThat(json.out().strip().lines().count()).as("one record").isEqualTo(1);
      assertThat(run(new UploadCommand(), "--insecure", src.toString(), url).status()).isZero();

      assertThat(
              run(
                      new TicketCommand(),
                      "extend",
                      "--control-port",
                      port,
                      "--control-token-file",
                      token,
                      id,
                      "600")
                  .status())
          .isZero();
      assertThat(
              run(
                      new TicketCommand(),
                      "remove",
                      "--control-port",
                      port,
                      "--control-token-file",
                      token,
                      id)
                  .status())
          .isZero();
      Run gone = run(new UploadCommand(), "--cafile", cafile, src.toString(), url);
      assertThat(gone.status()).isEqualTo(1);
      assertThat(gone.err()).contains("HTTP 403", "no such ticket").doesNotContain(id);
      Run show =
          run(
              new TicketCommand(),
              "show",
              "--control-port",
              port,
              "--control-token-file",
              token,
              id);
      assertThat(show.status()).isNotZero();
    }
  }

  @Test
  void ticketsOverTheControlUnixSocket() throws Exception {
    Path socket = dir.resolve("control.sock");
    try (TestDaemon d =
        TestDaemon.start(
            dir,
            dev.intact.server.image.StorageFactory.STORAGE,
            c -> c.withControlSocket(socket))) {
      Path img = d.image("a.raw", 8192);
      Run add =
          run(new TicketCommand(), "add", "--control-socket", socket.toString(), img.toString());
      assertThat(add.status()).as(add.err()).isZero();
      String id = add.out().strip();
      assertThat(id).hasSize(43);
      Run show = run(new TicketCommand(), "show", "--control-socket", socket.toString(), id);
      assertThat(show.out()).contains("\"size\":8192", "\"ops\":[\"read\"]", "\"active\":true");
      assertThat(
              run(new TicketCommand(), "remove", "--control-socket", socket.toString(), id)
                  .status())
          .isZero();
      Run gone = run(new TicketCommand(), "show", "--control-socket", socket.toString(), id);
      assertThat(gone.status()).isNotZero();
      assertThat(gone.err()).contains("HTTP 403", "no such ticket");
    }
  }

  @Test
  void aPortInUseNamesTheServiceAndItsFlag() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String port = String.valueOf(taken.getLocalPort());
      Run data =
          run(
              new ServeCommand(),
              "--root",
              dir.toString(),
              "--state-dir",
              dir.resolve("state").toString(),
              "--host",
              "127.0.0.1",
              "--port",
              port,
              "--control-socket",
              dir.resolve("c.sock").toString());
      assertThat(data.status()).isEqualTo(1);
      assertThat(data.err())
          .startsWith("intact: cannot listen on 127.0.0.1:" + port + " (data service): ")
          .contains("--port N")
          .doesNotContain("Failed to bind");
      Run control =
          run(
              new ServeCommand(),
              "--root",
              dir.toString(),
              "--state-dir",
              dir.resolve("state").toString(),
              "--host",
              "127.0.0.1",
              "--port",
              "0",
              "--control-port",
              port);
      assertThat(control.status()).isEqualTo(1);
      assertThat(control.err())
          .startsWith("intact: cannot listen on loopback port " + port + " (control service)")
          .contains("--control-port N");
    }
  }

  @Test
  void serveNeedsARoot() {
    Run r = run(new ServeCommand(), "--port", "0");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("give at least one --root DIR");
  }

  /**
   * Against a daemon with only imageio's API the line says what was compared: the imageio list
   * imageio's /checksum computes, which is the imageio value of the source.
   */
  @Test
  void uploadToAnImageioDaemonSaysItWasComparedAsImageio() throws Exception {
    try (TestDaemon d =
        TestDaemon.startImageio(dir, dev.intact.server.image.StorageFactory.STORAGE)) {
      byte[] data = new byte[(5 << 20) + 4096];
      new Random(5).nextBytes(data);
      Path src = Files.write(dir.resolve("src.raw"), data);
      Path dst = d.image("dst.raw", data.length);
      String url = d.imageUri(d.addTicket(dst, data.length, true)).toString();
      String cafile = d.server().certificate().toString();
      String imageio;
      try (var img = dev.intact.core.image.LocalImage.openRead(src)) {
        imageio =
            dev.intact.core.checksum.ChecksumEngine.withDefaultThreads()
                .compute(
                    img,
                    dev.intact.core.checksum.ChecksumType.parse(
                        "imageio", java.util.OptionalLong.empty()),
                    dev.intact.core.image.ByteRange.whole(img.size()),
                    dev.intact.core.checksum.ProgressListener.NONE)
                .value()
                .toHex();
      }
      Run up = run(new UploadCommand(), "--cafile", cafile, src.toString(), url);
      assertThat(up.status()).as(up.err()).isZero();
      assertThat(up.out())
          .startsWith("verified upload blkhash:")
          .contains(", compared as imageio:" + imageio);
      assertThat(Files.readAllBytes(dst)).isEqualTo(data);
      Run json = run(new UploadCommand(), "--json", "--cafile", cafile, src.toString(), url);
      assertThat(json.status()).as(json.err()).isZero();
      assertThat(
              new com.fasterxml.jackson.databind.ObjectMapper()
                  .readTree(json.out())
                  .get("compared_as")
                  .asText())
          .isEqualTo("imageio:" + imageio);
      Run range =
          run(new UploadCommand(), "--cafile", cafile, "--range", "0-4096", src.toString(), url);
      assertThat(range.status()).isEqualTo(1);
      assertThat(range.err()).contains("only imageio's /checksum of the whole image");
    }
  }

  @Test
  void copyBetweenTicketsWithDurationsPrintsAJsonRecord() throws Exception {
    Path socket = dir.resolve("control.sock");
    try (TestDaemon d =
        TestDaemon.start(
            dir,
            dev.intact.server.image.StorageFactory.STORAGE,
            c -> c.withControlSocket(socket))) {
      byte[] data = new byte[256 << 10];
      new Random(7).nextBytes(data);
      Path from = Files.write(d.root().resolve("from.raw"), data);
      Path to = d.image("to.raw", data.length);
      String base = d.server().dataUri().toString();
      Run read =
          run(
              new TicketCommand(),
              "add",
              "--control-socket",
              socket.toString(),
              "--timeout",
              "10m",
              "--inactivity-timeout",
              "2m",
              "--data-url",
              base,
              from.toString());
      Run write =
          run(
              new TicketCommand(),
              "add",
              "--control-socket",
              socket.toString(),
              "--write",
              "--size",
              "256K",
              "--data-url",
              base,
              to.toString());
      assertThat(read.status()).as(read.err()).isZero();
      assertThat(write.status()).as(write.err()).isZero();
      String readId = read.out().strip().substring(read.out().strip().lastIndexOf('/') + 1);
      assertThat(
              run(new TicketCommand(), "show", "--control-socket", socket.toString(), readId).out())
          .contains("\"timeout\":600", "\"inactivity_timeout\":120");

      Run copy =
          run(
              new CopyCommand(),
              "--cafile",
              d.server().certificate().toString(),
              "--json",
              read.out().strip(),
              write.out().strip());
      assertThat(copy.status()).as(copy.err()).isZero();
      com.fasterxml.jackson.databind.JsonNode rec =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(copy.out());
      assertThat(rec.get("operation").asText()).isEqualTo("copy");
      assertThat(rec.get("verified").asBoolean()).isTrue();
      assertThat(rec.get("algorithm").asText()).isEqualTo("blkhash");
      assertThat(rec.get("block_size").asInt()).isEqualTo(65536);
      assertThat(rec.get("size").asLong()).isEqualTo(data.length);
      assertThat(Files.readAllBytes(to)).isEqualTo(data);
    }
  }
}
