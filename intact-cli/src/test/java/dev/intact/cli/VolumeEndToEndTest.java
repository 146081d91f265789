package dev.intact.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.intact.core.nbd.server.NbdExport;
import dev.intact.core.nbd.server.NbdServer;
import dev.intact.core.nbd.server.ServerLimits;
import dev.intact.core.testing.ExternalTool;
import dev.intact.core.volume.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dm-integrity's own detection test (cryptsetup's {@code int_error_detection}), adapted: write
 * "EXAMPLE TEXT" through NBD with qemu-io, stop, find the text in the backing file and overwrite
 * one byte of it, serve again: reading that block fails with EIO while the others read, {@code
 * volume check} names exactly that block, and {@code volume repair} from a copy fixes it. For every
 * tag algorithm and several block sizes.
 */
class VolumeEndToEndTest {
  private static final ExternalTool QEMU_IO = ExternalTool.of("qemu-io", "qemu-utils");
  private static final byte[] TEXT = "EXAMPLE TEXT".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  static Stream<Arguments> algorithmsAndBlockSizes() {
    return Stream.of(
        Arguments.of("crc32c", 512),
        Arguments.of("crc32c", 4096),
        Arguments.of("crc32c", 65536),
        Arguments.of("xxh3-64", 4096),
        Arguments.of("sha256", 1024),
        Arguments.of("blake2b-256", 4096),
        Arguments.of("hmac-sha256", 8192));
  }

  @ParameterizedTest(name = "{0} tags, {1}-byte blocks")
  @MethodSource("algorithmsAndBlockSizes")
  void aByteChangedOnDiskFailsThatBlockOnlyAndRepairFixesIt(String alg, int bs) throws Exception {
    Path vol = dir.resolve("disk.vol");
    List<String> keyArgs = new ArrayList<>();
    byte[] key = null;
    if (alg.startsWith("hmac")) {
      key = "a secret that is long enough".getBytes(StandardCharsets.US_ASCII);
      Files.write(dir.resolve("key"), key);
      keyArgs = List.of("--key-file", dir.resolve("key").toString());
    }
    long size = 32L * bs;
    IntactRun.Result created =
        IntactRun.run(
            concat(
                List.of(
                    "volume",
                    "create",
                    vol.toString(),
                    "--size",
                    Long.toString(size),
                    "--block-size",
                    Integer.toString(bs),
                    "--tag",
                    alg),
                keyArgs));
    assertEquals(0, created.exit(), created.err());

    Path pattern = dir.resolve("pattern");
    Files.write(pattern, TEXT);
    long textBlock = 5;
    long otherBlock = 9;
    try (Served s = serve(vol, key, false)) {
      Tools.Result w =
          Tools.run(
              QEMU_IO,
              dir,
              new byte[0],
              "-f",
              "raw",
              "-c",
              "write -s " + pattern + " " + textBlock * bs + " " + bs,
              "-c",
              "write -P 0x55 " + otherBlock * bs + " " + bs,
              "-c",
              "flush",
              s.uri());
      assertEquals(0, w.exit(), w.err());
    }

    Path good = dir.resolve("good.vol");
    Files.copy(vol, good);
    byte[] disk = Files.readAllBytes(vol);
    List<Integer> found = occurrences(disk, TEXT);
    assertTrue(!found.isEmpty(), "EXAMPLE TEXT is not in the backing file");
    try (Volume v = Volume.open(vol, false, key)) {
      long start = v.geometry().dataOffset(textBlock);
      for (int at : found) {
        assertTrue(
            at >= start && at < start + bs,
            "EXAMPLE TEXT at " + at + " outside its block's data (a stale copy left behind)");
      }
    }
    disk[found.getFirst() + 3] ^= 0x20; // EXAMPLE -> EXAmPLE
    Files.write(vol, disk);

    try (Served s = serve(vol, key, true)) {
      Tools.Result bad =
          Tools.run(
              QEMU_IO,
              dir,
              new byte[0],
              "-f",
              "raw",
              "-r",
              "-c",
              "read " + textBlock * bs + " " + bs,
              s.uri());
      assertTrue(
          (bad.out() + bad.err()).contains("Input/output error"), bad.out() + "\n" + bad.err());
      for (long b : new long[] {0, textBlock - 1, otherBlock, 31}) {
        Tools.Result ok =
            Tools.run(
                QEMU_IO,
                dir,
                new byte[0],
                "-f",
                "raw",
                "-r",
                "-c",
                "read " + b * bs + " " + bs,
                s.uri());
        assertEquals(0, ok.exit(), "block " + b + ": " + ok.out() + ok.err());
      }
    }

    IntactRun.Result check =
        IntactRun.run(concat(List.of("volume", "check", vol.toString()), keyArgs));
    assertEquals(1, check.exit(), check.out() + check.err());
    String range = "[" + textBlock * bs + ", " + (textBlock + 1) * bs + ")";
    assertTrue(check.out().contains("bad block " + textBlock + " bytes " + range), check.out());
    assertEquals(1, check.out().lines().filter(l -> l.startsWith("bad block")).count());

    IntactRun.Result scrub =
        IntactRun.run(concat(List.of("volume", "scrub", vol.toString(), "--json"), keyArgs));
    assertEquals(1, scrub.exit(), scrub.out() + scrub.err());
    assertTrue(
        scrub
            .out()
            .contains(
                "\"bad\":[{\"start\":"
                    + textBlock * bs
                    + ",\"end\":"
                    + (textBlock + 1) * bs
                    + "}]"),
        scrub.out());
    IntactRun.Result info =
        IntactRun.run(concat(List.of("volume", "info", vol.toString(), "--json"), keyArgs));
    assertEquals(0, info.exit(), info.err());
    assertTrue(info.out().contains("\"last_scrub_bad_blocks\":1"), info.out());
    assertTrue(info.out().contains("\"in_use_by\":null"), info.out());
    assertTrue(info.out().contains("\"tag\":\"" + alg + "\""), info.out());
    assertTrue(info.out().contains("\"chunk_size\":1048576,"), info.out());

    IntactRun.Result repair =
        IntactRun.run(
            concat(
                List.of("volume", "repair", vol.toString(), "--from", good.toString()), keyArgs));
    assertEquals(0, repair.exit(), repair.out() + repair.err());
    IntactRun.Result again =
        IntactRun.run(concat(List.of("volume", "check", vol.toString()), keyArgs));
    assertEquals(0, again.exit(), again.out() + again.err());
  }

  @org.junit.jupiter.api.Test
  void infoShowsTheSpareChunksCreateWasAskedFor() throws Exception {
    Path vol = dir.resolve("spare.vol");
    IntactRun.Result created =
        IntactRun.run("volume", "create", vol.toString(), "--size", "8M", "--spare", "3M");
    assertEquals(0, created.exit(), created.err());
    IntactRun.Result json = IntactRun.run("volume", "info", vol.toString(), "--json");
    assertEquals(0, json.exit(), json.err());
    assertTrue(json.out().contains("\"format_version\":4,"), json.out());
    assertTrue(json.out().contains("\"chunk_size\":1048576,\"spare_size\":3145728,"), json.out());
    IntactRun.Result text = IntactRun.run("volume", "info", vol.toString());
    assertTrue(
        text.out()
            .contains(
                "spare:        3 chunks of 1048576 bytes (whole-chunk overwrites are written once)"),
        text.out());
    assertEquals(
        Files.size(vol),
        Volume.readSuperblock(vol).geometry().storageSize(),
        "room for 8 + 3 chunks");
  }

  @org.junit.jupiter.api.Test
  void anImportedImageComparesEqualWithQemuImgAndKeepsItsHolesAsZeroExtents() throws Exception {
    Path raw = dir.resolve("disk.raw");
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            raw,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      byte[] data = new byte[300_000];
      new java.util.SplittableRandom(5).nextBytes(data);
      ch.write(java.nio.ByteBuffer.wrap(data), 1 << 20);
      ch.write(java.nio.ByteBuffer.wrap(data), 3 << 20);
      ch.truncate(4 << 20);
    }
    Path vol = dir.resolve("imported.vol");
    IntactRun.Result created =
        IntactRun.run("volume", "create", vol.toString(), "--from", raw.toString());
    assertEquals(0, created.exit(), created.err());
    try (Served s = serve(vol, null, true)) {
      Tools.Result cmp =
          Tools.run(
              ExternalTool.of("qemu-img", "qemu-utils"),
              dir,
              new byte[0],
              "compare",
              "-f",
              "raw",
              "-F",
              "raw",
              raw.toString(),
              s.uri());
      assertEquals(0, cmp.exit(), cmp.out() + cmp.err());
      assertEquals(
          new dev.intact.core.image.Extent(0, 1 << 20, true), s.volume().extentAt(0, 4 << 20));
      Tools.Result map =
          Tools.run(ExternalTool.of("nbdinfo", "libnbd-bin"), dir, new byte[0], "--map", s.uri());
      assertEquals(0, map.exit(), map.err());
      String first = map.out().lines().findFirst().orElse("");
      assertTrue(first.matches("\\s*0\\s+1048576\\s+3\\s+hole,zero"), map.out());
    }
  }

  @org.junit.jupiter.api.Test
  void createFromAQcow2AndAnOvaMemberImportsTheGuestDiskQemuImgComparesEqual() throws Exception {
    Path raw = dir.resolve("guest.raw");
    byte[] data = new byte[200_000];
    new java.util.SplittableRandom(9).nextBytes(data);
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            raw,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(data), 512 << 10);
      ch.write(java.nio.ByteBuffer.wrap(new byte[1]), (2 << 20) - 1); // truncate() only shrinks
    }
    ExternalTool qemuImg = ExternalTool.of("qemu-img", "qemu-utils");
    Tools.Result convert =
        Tools.run(
            qemuImg,
            dir,
            new byte[0],
            "convert",
            "-f",
            "raw",
            "-O",
            "qcow2",
            "guest.raw",
            "guest.qcow2");
    assertEquals(0, convert.exit(), convert.err());
    Tools.Result tar =
        Tools.run(ExternalTool.of("tar", "tar"), dir, new byte[0], "cf", "app.ova", "guest.qcow2");
    assertEquals(0, tar.exit(), tar.err());
    List<List<String>> imports =
        List.of(
            List.of("--from", dir.resolve("guest.qcow2").toString()),
            List.of("--from", dir.resolve("app.ova").toString(), "--member", "guest.qcow2"));
    for (List<String> from : imports) {
      Path vol = dir.resolve("from-" + imports.indexOf(from) + ".vol");
      IntactRun.Result created =
          IntactRun.run(concat(List.of("volume", "create", vol.toString()), from));
      assertEquals(0, created.exit(), from + ": " + created.err());
      try (Served s = serve(vol, null, true)) {
        assertEquals(2 << 20, s.volume().size(), from.toString());
        Tools.Result cmp =
            Tools.run(
                qemuImg,
                dir,
                new byte[0],
                "compare",
                "-f",
                "raw",
                "-F",
                "raw",
                raw.toString(),
                s.uri());
        assertEquals(0, cmp.exit(), from + ": " + cmp.out() + cmp.err());
      }
    }
  }

  private record Served(NbdServer server, Volume volume, Path socket) implements AutoCloseable {
    String uri() {
      return "nbd+unix:///?socket=" + socket;
    }

    @Override
    public void close() throws IOException {
      server.close();
      volume.close();
    }
  }

  /** Serves the volume as {@code intact volume serve} does. */
  private Served serve(Path vol, byte[] key, boolean readOnly) throws IOException {
    Volume v = Volume.open(vol, !readOnly, key);
    Path socket = dir.resolve("nbd-" + System.nanoTime() + ".sock");
    NbdExport export = readOnly ? NbdExport.readOnly("", v) : NbdExport.readWrite("", v);
    return new Served(
        NbdServer.onUnixSocket(socket, List.of(export), ServerLimits.defaults()), v, socket);
  }

  private static List<Integer> occurrences(byte[] hay, byte[] needle) {
    List<Integer> at = new ArrayList<>();
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      at.add(i);
    }
    return at;
  }

  private static String[] concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(String[]::new);
  }
}
