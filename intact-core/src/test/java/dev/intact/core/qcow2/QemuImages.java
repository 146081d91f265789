package dev.intact.core.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import dev.intact.core.image.LocalImage;
import dev.intact.core.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * qcow2 images made by qemu-img and qemu-io, and the checks that hold qemu as the ground truth for
 * {@link Qcow2Image}: the bytes of {@code qemu-img convert -O raw}, the zero/data map of {@code
 * qemu-img map}, and the block-hash checksum of the converted raw file.
 */
final class QemuImages {
  private QemuImages() {}

  /** {@code qemu-img create -f qcow2 -o OPTIONS}, then each qemu-io command in turn. */
  static Path create(Path file, String options, long size, List<String> qemuIo) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Tools.qemuImg(), "create", "-q", "-f", "qcow2"));
    if (!options.isEmpty()) {
      cmd.addAll(List.of("-o", options));
    }
    cmd.addAll(List.of(file.toString(), String.valueOf(size)));
    Tools.run(cmd);
    if (!qemuIo.isEmpty()) {
      List<String> io = new ArrayList<>(List.of(Tools.qemuIo(), "-f", "qcow2"));
      for (String c : qemuIo) {
        io.addAll(List.of("-c", c));
      }
      io.add(file.toString());
      Tools.run(io);
    }
    return file;
  }

  /** {@code qemu-img convert -O raw}: the guest's bytes as qemu reads them. */
  static byte[] qemuRaw(Path qcow2) throws Exception {
    Path raw = qcow2.resolveSibling(qcow2.getFileName() + ".raw");
    Tools.run(
        Tools.qemuImg(), "convert", "-f", "qcow2", "-O", "raw", qcow2.toString(), raw.toString());
    byte[] bytes = Files.readAllBytes(raw);
    Files.delete(raw);
    return bytes;
  }

  /** A run of {@code qemu-img map --output=json}. */
  record MapEntry(long start, long length, boolean zero, boolean data) {
    long end() {
      return start + length;
    }
  }

  static List<MapEntry> qemuMap(Path qcow2) throws Exception {
    String json =
        Tools.run(Tools.qemuImg(), "map", "--output=json", "-f", "qcow2", qcow2.toString());
    Pattern entry =
        Pattern.compile(
            "\"start\": (\\d+), \"length\": (\\d+),.*?\"zero\": (true|false), \"data\":"
                + " (true|false)");
    List<MapEntry> out = new ArrayList<>();
    Matcher m = entry.matcher(json);
    while (m.find()) {
      out.add(
          new MapEntry(
              Long.parseLong(m.group(1)),
              Long.parseLong(m.group(2)),
              m.group(3).equals("true"),
              m.group(4).equals("true")));
    }
    return out;
  }

  /** The image's extents, start to end. */
  static List<Extent> extents(Image image) throws IOException {
    List<Extent> out = new ArrayList<>();
    for (long pos = 0; pos < image.size(); ) {
      Extent x = image.extentAt(pos, image.size());
      assertThat(x.start()).isEqualTo(pos);
      out.add(x);
      pos = x.end();
    }
    return out;
  }

  /** Reads the image as the checksum engine does: data extents only, zero extents left zero. */
  static byte[] readByExtents(Image image) throws IOException {
    byte[] all = new byte[Math.toIntExact(image.size())];
    for (Extent x : extents(image)) {
      if (!x.zero()) {
        image.readFully(x.start(), all, (int) x.start(), (int) x.length());
      }
    }
    return all;
  }

  /**
   * Holds {@code qcow2} read natively to qemu's view: the bytes equal qemu-img's raw conversion
   * (read by extents, and read whole in pieces of odd sizes that cross clusters); every zero extent
   * is zero in qemu's map, and everything qemu maps as neither data nor allocated is a zero extent;
   * the block-hash checksum equals the raw conversion's.
   */
  static void assertReadsAsQemu(Path qcow2) throws Exception {
    byte[] expected = qemuRaw(qcow2);
    List<MapEntry> map = qemuMap(qcow2);
    try (Qcow2Image image = Qcow2Image.open(qcow2, qcow2.toString())) {
      assertThat(image.size()).isEqualTo(expected.length);
      assertThat(readByExtents(image)).as("%s read by extents", qcow2).isEqualTo(expected);
      byte[] pieces = new byte[expected.length];
      for (int pos = 0, n = 1; pos < pieces.length; pos += n, n = n * 7 + 4093) {
        n = Math.min(n % (3 << 20) + 1, pieces.length - pos);
        image.readFully(pos, pieces, pos, n);
      }
      assertThat(Arrays.equals(pieces, expected)).as("%s read in odd pieces", qcow2).isTrue();
      for (Extent x : extents(image)) {
        for (MapEntry e : map) {
          boolean overlaps = e.start() < x.end() && x.start() < e.end();
          if (overlaps && x.zero()) {
            assertThat(e.zero()).as("qemu's %s under our zero extent %s", e, x).isTrue();
          }
          if (overlaps && !e.data() && e.zero()) {
            assertThat(x.zero()).as("our %s over qemu's unallocated/zero %s", x, e).isTrue();
          }
        }
      }
      Path raw = qcow2.resolveSibling(qcow2.getFileName() + ".expected.raw");
      Files.write(raw, expected);
      try (LocalImage rawImage = LocalImage.openRead(raw)) {
        assertThat(blkhash(image)).as("blkhash of %s", qcow2).isEqualTo(blkhash(rawImage));
      } finally {
        Files.delete(raw);
      }
    }
  }

  static Checksum blkhash(Image image) throws IOException {
    return ChecksumEngine.withThreads(3)
        .compute(
            image,
            ChecksumType.parse("blkhash", OptionalLong.empty()),
            ByteRange.whole(image.size()),
            ProgressListener.NONE);
  }
}
