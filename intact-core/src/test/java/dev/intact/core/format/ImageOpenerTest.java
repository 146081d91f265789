package dev.intact.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import dev.intact.core.image.LocalImage;
import dev.intact.core.nbd.wire.Allocation;
import dev.intact.core.testing.ServerProcess;
import dev.intact.core.testing.SparseImage;
import dev.intact.core.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One disk as raw, qcow2, compressed qcow2, a qcow2 backing chain, vmdk and an OVA (tar) member:
 * every form reads as the same bytes, and the allocation maps agree with {@code qemu-img map}.
 */
@SuppressWarnings("try") // ServerProcess.close() waits, so it may throw InterruptedException
class ImageOpenerTest {
  @TempDir Path dir;
  Path raw;
  byte[] expected;

  static final SparseImage DISK =
      SparseImage.builder()
          .data(1 << 20, 1)
          .hole(3 << 20)
          .zeros(1 << 20)
          .data(65536, 2)
          .hole((3 << 20) - 65536)
          .build();

  @BeforeEach
  void makeRaw() throws IOException {
    raw = DISK.writeTo(dir.resolve("disk.raw"));
    expected = DISK.bytes();
  }

  Path convert(String name, String... options) throws Exception {
    Path out = dir.resolve(name);
    List<String> cmd = new ArrayList<>(List.of(Tools.qemuImg(), "convert", "-f", "raw"));
    cmd.addAll(List.of(options));
    cmd.addAll(List.of(raw.toString(), out.toString()));
    Tools.run(cmd);
    return out;
  }

  /** Reads the whole image the way the checksum engine does: skipping zero extents. */
  static byte[] readAll(Image image) throws IOException {
    byte[] all = new byte[(int) image.size()];
    for (long pos = 0; pos < all.length; ) {
      Extent x = image.extentAt(pos, all.length);
      if (!x.zero()) {
        image.readFully(pos, all, (int) pos, (int) x.length());
      }
      pos = x.end();
    }
    return all;
  }

  static final List<ChecksumType> TYPES =
      List.of(
          ChecksumType.parse("sha256", OptionalLong.empty()),
          ChecksumType.parse("blkhash", OptionalLong.empty()),
          ChecksumType.parse("imageio", OptionalLong.of(1 << 20)));

  /** Checksums of the raw file through the engine, the values every other form must give. */
  List<Checksum> rawChecksums() throws IOException {
    try (LocalImage image = LocalImage.openRead(raw)) {
      return checksums(image);
    }
  }

  static List<Checksum> checksums(Image image) throws IOException {
    List<Checksum> out = new ArrayList<>();
    for (ChecksumType t : TYPES) {
      out.add(
          ChecksumEngine.withThreads(2)
              .compute(image, t, ByteRange.whole(image.size()), ProgressListener.NONE));
    }
    return out;
  }

  void assertReadsAsRaw(String spec, ImageOpener.Options options, String format) throws Exception {
    try (OpenedImage image = ImageOpener.open(spec, options)) {
      assertThat(image.format()).isEqualTo(format);
      assertThat(image.size()).isEqualTo(DISK.size());
      assertThat(sha256(readAll(image))).isEqualTo(sha256(expected));
      assertThat(checksums(image)).as("checksums of " + spec).isEqualTo(rawChecksums());
    }
  }

  @Test
  void everyFormOfTheDiskReadsAsTheRawBytes() throws Exception {
    Path qcow2 = convert("disk.qcow2", "-O", "qcow2");
    Path compressed = convert("disk-c.qcow2", "-O", "qcow2", "-c");
    Path vmdk = convert("disk.vmdk", "-O", "vmdk", "-o", "subformat=streamOptimized");
    // a chain: the base holds the first half of the data, the top overlay the rest
    Path base = dir.resolve("base.qcow2");
    Tools.run(
        Tools.qemuImg(), "create", "-f", "qcow2", base.toString(), String.valueOf(DISK.size()));
    Tools.run(Tools.qemuIo(), "-f", "qcow2", "-c", "write -P 0x55 0 1M", base.toString());
    Path top = dir.resolve("top.qcow2");
    Tools.run(
        Tools.qemuImg(),
        "create",
        "-f",
        "qcow2",
        "-b",
        base.getFileName().toString(),
        "-F",
        "qcow2",
        top.toString());
    Tools.run(
        Tools.qemuImg(),
        "convert",
        "-f",
        "raw",
        "-O",
        "qcow2",
        "-B",
        base.getFileName().toString(),
        "-F",
        "qcow2",
        "-n",
        raw.toString(),
        top.toString());

    assertReadsAsRaw(raw.toString(), ImageOpener.Options.defaults(), "raw");
    assertReadsAsRaw(qcow2.toString(), ImageOpener.Options.defaults(), "qcow2");
    assertReadsAsRaw(compressed.toString(), ImageOpener.Options.defaults(), "qcow2");
    assertReadsAsRaw(vmdk.toString(), ImageOpener.Options.defaults(), "vmdk");
    assertReadsAsRaw(top.toString(), ImageOpener.Options.defaults(), "qcow2");

    Files.writeString(dir.resolve("disk.ovf"), "<Envelope/>\n");
    Path ova = dir.resolve("appliance.ova");
    Tools.run(
        "tar",
        "-C",
        dir.toString(),
        "--format=ustar",
        "-cf",
        ova.toString(),
        "disk.ovf",
        "disk.vmdk",
        "disk.qcow2",
        "disk.raw");
    assertReadsAsRaw(
        ova.toString(), ImageOpener.Options.defaults().withMember("disk.vmdk"), "vmdk");
    assertReadsAsRaw(
        ova.toString(), ImageOpener.Options.defaults().withMember("disk.qcow2"), "qcow2");
    assertReadsAsRaw(ova.toString(), ImageOpener.Options.defaults().withMember("disk.raw"), "raw");

    try (OpenedImage archive = ImageOpener.open(ova.toString())) {
      assertThat(archive.format()).isEqualTo("raw"); // without --member: the archive's own bytes
      assertThat(archive.size()).isEqualTo(Files.size(ova));
    }
    try (OpenedImage asFile =
        ImageOpener.open(qcow2.toString(), ImageOpener.Options.defaults().withFormat("raw"))) {
      assertThat(asFile.size()).isEqualTo(Files.size(qcow2)); // the file, not the guest's disk
    }
    assertThatThrownBy(
            () ->
                ImageOpener.open(
                    ova.toString(), ImageOpener.Options.defaults().withMember("nope.vmdk")))
        .hasMessageContaining("no member 'nope.vmdk'");
  }

  @Test
  void aGnuTarWithLongNamesIsIndexedToo() throws Exception {
    String longName =
        "a-very-long-directory-name-that-does-not-fit-in-one-hundred-bytes-of-ustar-header/"
            + "x".repeat(60)
            + ".qcow2";
    Path qcow2 = convert("disk.qcow2", "-O", "qcow2");
    Files.createDirectories(dir.resolve(longName).getParent());
    Files.move(qcow2, dir.resolve(longName));
    Path tar = dir.resolve("long.tar");
    Tools.run("tar", "-C", dir.toString(), "--format=gnu", "-cf", tar.toString(), longName);
    assertReadsAsRaw(tar.toString(), ImageOpener.Options.defaults().withMember(longName), "qcow2");
    Path pax = dir.resolve("long-pax.tar");
    Tools.run("tar", "-C", dir.toString(), "--format=pax", "-cf", pax.toString(), longName);
    assertReadsAsRaw(pax.toString(), ImageOpener.Options.defaults().withMember(longName), "qcow2");
  }

  @Test
  void allocationMatchesQemuImgMap() throws Exception {
    Path qcow2 = convert("disk.qcow2", "-O", "qcow2");
    for (Path p : List.of(raw, qcow2)) {
      try (OpenedImage image = ImageOpener.open(p.toString())) {
        List<Allocation> ours = image.allocation(0, image.size());
        assertThat(ours).isEqualTo(qemuImgMap(p, image.format()));
      }
    }
  }

  @Test
  void nbdUrisOpenTheExport() throws Exception {
    try (ServerProcess server =
        ServerProcess.qemuNbd(dir, "--read-only", "--format=raw", raw.toString())) {
      assertReadsAsRaw(
          "nbd+unix:///?socket=" + server.socket, ImageOpener.Options.defaults(), "nbd");
    }
  }

  /** {@code qemu-img map --output=json}, merged into runs the way {@link OpenedImage} merges. */
  static List<Allocation> qemuImgMap(Path image, String format) throws Exception {
    String json =
        Tools.run(Tools.qemuImg(), "map", "--output=json", "-f", format, image.toString());
    Pattern entry =
        Pattern.compile(
            "\"start\": (\\d+), \"length\": (\\d+),.*?\"zero\": (true|false), \"data\":"
                + " (true|false)");
    List<Allocation> out = new ArrayList<>();
    Matcher m = entry.matcher(json);
    while (m.find()) {
      Allocation a =
          new Allocation(
              Long.parseLong(m.group(1)),
              Long.parseLong(m.group(2)),
              m.group(3).equals("true"),
              m.group(4).equals("false"));
      if (!out.isEmpty() && out.getLast().zero() == a.zero() && out.getLast().hole() == a.hole()) {
        Allocation last = out.removeLast();
        a = new Allocation(last.start(), last.length() + a.length(), a.zero(), a.hole());
      }
      out.add(a);
    }
    assertThat(out).as("parsed qemu-img map output: " + json).isNotEmpty();
    return out;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
