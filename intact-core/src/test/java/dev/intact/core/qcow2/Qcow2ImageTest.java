package dev.intact.core.qcow2;

import static dev.intact.core.qcow2.QemuImages.assertReadsAsQemu;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.Tools;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of qcow2 qemu makes without a backing file reads, natively, as qemu reads it: v2 and
 * v3, clusters of 512 B to 2 MiB, extended L2 entries with subclusters, preallocated metadata, zlib
 * and zstd compressed clusters, zero and discarded clusters (see {@link QemuImages}).
 */
class Qcow2ImageTest {
  @TempDir Path dir;

  /** Not a whole number of clusters: the last cluster is partly past the end of the disk. */
  static final long SIZE = (8L << 20) + 1536;

  /** Data, zeros and discards at and across cluster and subcluster boundaries. */
  static final List<String> WRITES =
      List.of(
          "write -P 0x11 0 100k",
          "write -z 128k 64k",
          "write -P 0x22 300k 7k",
          "write -P 0x33 2M 1M",
          "discard 2304k 128k",
          "write -z -u 4M 256k",
          "write -P 0x44 " + (SIZE - 1536) + " 1536",
          "write -P 0x55 7M 64k",
          "write -z 7172k 8k",
          "write -P 0x66 7344640 3584");

  @ParameterizedTest(name = "qemu-img create -o {0}")
  @ValueSource(
      strings = {
        "compat=0.10",
        "compat=1.1",
        "cluster_size=512",
        "cluster_size=4096",
        "cluster_size=2M",
        "extended_l2=on",
        "extended_l2=on,cluster_size=16k",
        "extended_l2=on,cluster_size=2M",
        "preallocation=metadata",
        "preallocation=metadata,extended_l2=on",
        "compat=0.10,preallocation=metadata,cluster_size=4096"
      })
  void writtenImagesReadAsQemuReadsThem(String options) throws Exception {
    assertReadsAsQemu(QemuImages.create(dir.resolve("disk.qcow2"), options, SIZE, WRITES));
  }

  @ParameterizedTest(name = "qemu-img convert -c -o {0}")
  @ValueSource(
      strings = {
        "compression_type=zlib",
        "compression_type=zstd",
        "compression_type=zlib,cluster_size=4096",
        "compression_type=zstd,cluster_size=2M",
        "compression_type=zlib,cluster_size=512",
        "compat=0.10"
      })
  void compressedImagesReadAsQemuReadsThem(String options) throws Exception {
    Path written = QemuImages.create(dir.resolve("written.qcow2"), "", SIZE, WRITES);
    Path compressed = dir.resolve("compressed.qcow2");
    Tools.run(
        Tools.qemuImg(),
        "convert",
        "-c",
        "-f",
        "qcow2",
        "-O",
        "qcow2",
        "-o",
        options,
        written.toString(),
        compressed.toString());
    assertReadsAsQemu(compressed);
    // Writes over a compressed image: compressed, rewritten and zeroed clusters side by side.
    Tools.run(
        Tools.qemuIo(),
        "-f",
        "qcow2",
        "-c",
        "write -P 0x77 32k 16k",
        "-c",
        "write -z 2112k 64k",
        "-c",
        "discard 3M 128k",
        compressed.toString());
    assertReadsAsQemu(compressed);
  }

  @Test
  void anEmptyTebibyteImageIsAllZeroExtents() throws Exception {
    Path empty = QemuImages.create(dir.resolve("empty.qcow2"), "", 1L << 40, List.of());
    try (Qcow2Image image = Qcow2Image.open(empty, "empty.qcow2")) {
      assertThat(image.size()).isEqualTo(1L << 40);
      assertThat(QemuImages.extents(image))
          .allSatisfy(x -> assertThat(x.zero()).isTrue())
          .hasSize((int) ((1L << 40) / Qcow2Image.MAX_EXTENT));
    }
  }

  @Test
  void aZeroSizedImageHasNoExtents() throws Exception {
    Path empty = QemuImages.create(dir.resolve("zero.qcow2"), "", 0, List.of());
    try (Qcow2Image image = Qcow2Image.open(empty, "zero.qcow2")) {
      assertThat(image.size()).isZero();
      assertThat(QemuImages.extents(image)).isEmpty();
    }
  }

  @Test
  void aVirtualSizeOfPartSectorsEndsAtTheLastWholeSectorAsInQemu() throws Exception {
    Path odd =
        QemuImages.create(dir.resolve("odd.qcow2"), "", 1 << 20, List.of("write -P 0x11 0 1M"));
    try (FileChannel ch = FileChannel.open(odd, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(8).putLong(0, (1 << 20) - 240), 24); // the header's size
    }
    assertReadsAsQemu(odd);
    try (Qcow2Image image = Qcow2Image.open(odd, "odd.qcow2")) {
      assertThat(image.size()).isEqualTo((1 << 20) - 512);
    }
  }
}
