package dev.intact.server;

import static dev.intact.server.TicketApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intact.core.image.WritableImage;
import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.nbd.client.NbdUri;
import dev.intact.core.testing.ExternalTool;
import dev.intact.server.image.StorageFactory;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NBD tickets as ovirt-imageio serves them: a qcow2 layer exported without its backing file (how
 * oVirt downloads one layer of a chain) reports {@code hole} only where the layer lacks the data
 * ({@code qemu:allocation-depth}), so a download written over the backing file is the right image;
 * and a ticket may name a socket its NBD server has not created yet.
 */
@SuppressWarnings("try") // NbdPeer.close() waits, so it may throw InterruptedException
class NbdLayerTicketTest {
  static final ExternalTool QEMU_IO = ExternalTool.of("qemu-io", "qemu-utils");
  static final ExternalTool NBDINFO = ExternalTool.of("nbdinfo", "libnbd-bin");
  static final ObjectMapper JSON = new ObjectMapper();
  static final int MIB = 1 << 20;

  @TempDir static Path dir;
  static Path sockets;
  static TestDaemon daemon;

  @BeforeAll
  static void start() throws Exception {
    sockets = Files.createDirectories(dir.resolve("nbd"));
    daemon =
        TestDaemon.start(
            dir.resolve("d"), StorageFactory.STORAGE, c -> c.withNbdSocketDirs(List.of(sockets)));
  }

  @AfterAll
  static void stop() throws Exception {
    daemon.close();
  }

  /**
   * The recipe of {@code peers/imageio-api/extents-qcow2-overlay-without-backing.txt}: a 1 MiB base
   * of 0xab, and a top layer holding 64 KiB of 0xcd, then a 64 KiB zero cluster of its own, then
   * nothing (the base shows through).
   */
  static Path[] layers(Path where) throws Exception {
    Files.createDirectories(where);
    Path base = where.resolve("base.qcow2");
    Path top = where.resolve("top.qcow2");
    NbdPeer.QEMU_IMG.run("create", "-q", "-f", "qcow2", base.toString(), "1M");
    QEMU_IO.run("-f", "qcow2", "-c", "write -P 0xab 0 1M", base.toString());
    NbdPeer.QEMU_IMG.run(
        "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base.toString(), top.toString(), "1M");
    QEMU_IO.run(
        "-f", "qcow2", "-c", "write -P 0xcd 0 64k", "-c", "write -z 64k 64k", top.toString());
    return new Path[] {base, top};
  }

  /** qemu-nbd serving {@code top} alone, with qemu:allocation-depth, as oVirt exports a layer. */
  static NbdPeer withoutBacking(Path socket, Path top) throws Exception {
    return NbdPeer.qemuNbdWith(
        socket,
        "--allocation-depth",
        "--read-only",
        "--format=qcow2",
        "json:{\"driver\":\"qcow2\",\"backing\":null,"
            + "\"file\":{\"driver\":\"file\",\"filename\":\""
            + top
            + "\"}}");
  }

  static JsonNode recorded(String name) throws Exception {
    try (InputStream in =
        NbdLayerTicketTest.class.getResourceAsStream("/peers/imageio-api/" + name + ".txt")) {
      List<String> lines =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(l -> !l.isBlank())
              .toList();
      return JSON.readTree(lines.getLast());
    }
  }

  static JsonNode extents(String id) throws Exception {
    HttpResponse<String> r = daemon.data("GET", "images/" + id + "/extents", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void aLayersOwnZeroClusterIsZeroButNotAHoleAsImageioAndAllocationDepthSay() throws Exception {
    Path[] l = layers(dir.resolve("a"));
    try (NbdPeer q = withoutBacking(sockets.resolve("a.sock"), l[1])) {
      // The peer tool's view of the same export: base:allocation calls 64 KiB-1 MiB "hole,zero",
      // allocation depth tells the layer's own zero cluster (depth 1) from what it lacks (0).
      assertThat(NBDINFO.run("--map=qemu:allocation-depth", "nbd+unix:///?socket=" + q.socket()))
          .containsPattern("0\\s+131072\\s+1\\s+local")
          .containsPattern("131072\\s+917504\\s+0\\s+absent");
      String id = daemon.addTicket(q.url(), MIB, false);
      JsonNode got = extents(id);
      assertThat(got).isEqualTo(recorded("extents-qcow2-overlay-without-backing"));
      assertThat(got.get(1).get("zero").asBoolean()).isTrue();
      assertThat(got.get(1).get("hole").asBoolean()).isFalse();
    }
  }

  /**
   * What ovirt-imageio's {@code test_download_shallow} does: download the top layer through the
   * daemon into a new qcow2 over the same base, writing data, zeroing zero extents and leaving
   * holes unallocated. The result must read as the top layer over the base does.
   */
  @Test
  void aDownloadOfTheLayerWrittenOverItsBackingFileIsTheRightImage() throws Exception {
    Path[] l = layers(dir.resolve("b"));
    Path out = dir.resolve("b").resolve("out.qcow2");
    NbdPeer.QEMU_IMG.run(
        "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", l[0].toString(), out.toString(), "1M");
    try (NbdPeer q = withoutBacking(sockets.resolve("b.sock"), l[1]);
        NbdPeer w = NbdPeer.qemuNbd(sockets.resolve("w.sock"), "qcow2", out);
        WritableImage dst = NbdImage.open(NbdUri.unix(w.socket(), ""))) {
      String id = daemon.addTicket(q.url(), MIB, false);
      int holes = 0;
      for (JsonNode e : extents(id)) {
        long start = e.get("start").asLong();
        int length = e.get("length").asInt();
        if (e.get("hole").asBoolean()) {
          holes++;
        } else if (e.get("zero").asBoolean()) {
          dst.zero(start, length);
        } else {
          HttpResponse<byte[]> r =
              daemon
                  .http()
                  .send(
                      java.net.http.HttpRequest.newBuilder(daemon.imageUri(id))
                          .header("Range", "bytes=" + start + "-" + (start + length - 1))
                          .build(),
                      HttpResponse.BodyHandlers.ofByteArray());
          assertThat(r.statusCode()).isEqualTo(206);
          dst.write(start, r.body(), 0, length);
        }
      }
      dst.flush();
      assertThat(holes).isEqualTo(1);
    }
    // qemu-img compare reads both through their backing file: exit 0 only if identical.
    assertThat(
            NbdPeer.QEMU_IMG.run(
                "compare", "-f", "qcow2", "-F", "qcow2", l[1].toString(), out.toString()))
        .contains("Images are identical");
  }

  @Test
  void aTicketMayNameASocketItsServerCreatesLater() throws Exception {
    Path[] l = layers(dir.resolve("c"));
    Path later = sockets.resolve("later.sock");
    String id = daemon.addTicket("nbd:unix:" + later, MIB, false);
    assertError(
        daemon.data("GET", "images/" + id + "/extents", null),
        503,
        "NBD socket " + later + " does not exist yet");
    try (NbdPeer q = withoutBacking(later, l[1])) {
      assertThat(extents(id)).isEqualTo(recorded("extents-qcow2-overlay-without-backing"));
    }
  }

  @Test
  void aSocketCreatedLaterIsConfinedAsAnyOther() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    String out = dev.intact.server.ticket.TicketId.random();
    assertError(
        daemon.control(
            "PUT",
            out,
            "{\"uuid\":\""
                + out
                + "\",\"url\":\"nbd:unix:"
                + outside.resolve("s.sock")
                + "\",\"size\":4096,\"ops\":[\"read\"]}"),
        403,
        "outside the configured roots and NBD socket directories");
    // Allowed when added, then made a symlink to a server outside: refused when used.
    Path link = sockets.resolve("link-later.sock");
    String id = daemon.addTicket("nbd:unix:" + link, 4096, false);
    try (NbdPeer kit = NbdPeer.nbdkit(outside.resolve("k.sock"), "memory", "size=1M")) {
      Files.createSymbolicLink(link, kit.socket());
      assertError(
          daemon.data("GET", "images/" + id + "/extents", null),
          403,
          "resolves to " + kit.socket());
    }
  }
}
