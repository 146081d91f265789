package dev.intact.core.qcow2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.format.ImageOpener;
import dev.intact.core.format.OpenedImage;
import dev.intact.core.image.LocalImage;
import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.testing.Tools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A qcow2 whose metadata is damaged or hostile is refused with one line naming the file and what is
 * wrong, before anything unbounded is allocated; a valid qcow2 this reader does not handle (backing
 * file, encryption, unknown features, dirty) is left to qemu-nbd and still reads right.
 */
class Qcow2HostileTest {
  @TempDir Path dir;
  Path image;

  @BeforeEach
  void makeImage() throws Exception {
    image =
        QemuImages.create(
            dir.resolve("disk.qcow2"),
            "",
            4L << 20,
            List.of("write -P 0x5a 0 64k", "write -P 0xa5 1M 64k"));
  }

  long headerLong(int at) throws IOException {
    try (FileChannel ch = FileChannel.open(image)) {
      ByteBuffer b = ByteBuffer.allocate(8);
      ch.read(b, at);
      return b.getLong(0);
    }
  }

  void put(long at, long value, int bytes) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8).putLong(0, value);
    b.position(8 - bytes);
    try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
      ch.write(b, at);
    }
  }

  /** File offset of the L2 entry of guest cluster 0. */
  long firstL2Entry() throws IOException {
    return headerLong((int) headerLong(40)) & ClusterMap.OFFSET_MASK;
  }

  void assertRefused(String problem) {
    assertThatThrownBy(
            () -> {
              try (Qcow2Image q = Qcow2Image.open(image, "disk.qcow2")) {
                QemuImages.readByExtents(q);
              }
            })
        .isInstanceOf(Qcow2FormatException.class)
        .hasMessageStartingWith("disk.qcow2: not a readable qcow2 image: ")
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void anAbsurdVirtualSizeIsRefusedBeforeAnL1TableIsAllocated() throws Exception {
    put(24, 1L << 56, 8);
    put(36, 0xffff_ffffL, 4);
    assertRefused("needs an L1 table larger than 32 MiB");
  }

  @Test
  void anL1TableTooSmallForTheVirtualSizeIsRefused() throws Exception {
    put(24, 1L << 40, 8);
    assertRefused("too few for the virtual size");
  }

  @Test
  void anL1TablePastTheEndOfTheFileIsRefused() throws Exception {
    put(40, 1L << 40, 8);
    assertRefused("its L1 table at offset 1099511627776 is unaligned or reaches past the end");
  }

  @Test
  void anL2TablePastTheEndOfTheFileIsRefused() throws Exception {
    put(headerLong(40), (1L << 40) | (1L << 63), 8);
    assertRefused("its L2 table at offset 1099511627776 reaches past the end of the file");
  }

  @Test
  void aDataClusterPastTheEndOfTheFileIsRefused() throws Exception {
    put(firstL2Entry(), (1L << 40) | (1L << 63), 8);
    assertRefused("guest offset 0 maps to host offset 1099511627776, past the end of the file");
  }

  @Test
  void anUnalignedDataClusterIsRefused() throws Exception {
    put(firstL2Entry(), (headerLong((int) firstL2Entry()) & ClusterMap.OFFSET_MASK) + 512, 8);
    assertRefused("is not aligned to a cluster");
  }

  @Test
  void aCompressedClusterThatDoesNotDecompressIsRefused() throws Exception {
    // Cluster 0 made "compressed": its stored bytes are the 0x5a pattern, not deflate data.
    long host = headerLong((int) firstL2Entry()) & ClusterMap.OFFSET_MASK;
    put(firstL2Entry(), ClusterMap.COMPRESSED | (3L << 54) | host, 8);
    assertRefused("the compressed cluster at guest offset 0: ");
  }

  @Test
  void clusterBitsOutOfRangeAreRefused() throws Exception {
    put(20, 30, 4);
    assertRefused("cluster_bits 30 is not between 9 and 21");
  }

  @Test
  void aHeaderExtensionRunningOffTheFirstClusterIsRefused() throws Exception {
    long headerLength = headerLong(96) & 0xffff_ffffL;
    put(headerLength, 0x1234_5678L, 4);
    put(headerLength + 4, 0x7fff_0000L, 4);
    assertRefused("header extension 0x12345678 at offset " + headerLength + " runs past");
  }

  @Test
  void aFileThatIsNotQcow2IsRefused() throws Exception {
    put(0, 0, 4);
    assertRefused("no qcow2 header");
  }

  @Test
  void anUnknownIncompatibleFeatureIsLeftToQemu() throws Exception {
    put(72, 1L << 40, 8);
    assertThatThrownBy(() -> Qcow2Image.open(image, "disk.qcow2"))
        .isInstanceOf(UnsupportedQcow2Exception.class)
        .hasMessage("disk.qcow2: unknown incompatible features 0x10000000000");
  }

  @Test
  void aDirtyImageIsLeftToQemu() throws Exception {
    put(72, 1, 8);
    assertThatThrownBy(() -> Qcow2Image.open(image, "disk.qcow2"))
        .isInstanceOf(UnsupportedQcow2Exception.class)
        .hasMessage("disk.qcow2: it is marked dirty");
  }

  @Test
  void anEncryptedImageIsLeftToQemu() throws Exception {
    put(32, 1, 4);
    assertThatThrownBy(() -> Qcow2Image.open(image, "disk.qcow2"))
        .isInstanceOf(UnsupportedQcow2Exception.class)
        .hasMessage("disk.qcow2: it is encrypted (crypt_method 1)");
  }

  @Test
  void anOverlayOnABackingFileIsReadThroughQemuNbdAndReadsRight() throws Exception {
    Path top = dir.resolve("top.qcow2");
    Tools.run(
        Tools.qemuImg(),
        "create",
        "-q",
        "-f",
        "qcow2",
        "-b",
        image.getFileName().toString(),
        "-F",
        "qcow2",
        top.toString());
    Tools.run(Tools.qemuIo(), "-f", "qcow2", "-c", "write -P 0x33 32k 64k", top.toString());
    assertThatThrownBy(() -> Qcow2Image.open(top, "top.qcow2"))
        .isInstanceOf(UnsupportedQcow2Exception.class)
        .hasMessage("top.qcow2: it has a backing file");
    byte[] expected = QemuImages.qemuRaw(top);
    try (OpenedImage opened = ImageOpener.open(top.toString())) {
      assertThat(opened.delegate()).isInstanceOf(NbdImage.class);
      assertThat(QemuImages.readByExtents(opened)).isEqualTo(expected);
      Path raw = dir.resolve("top.raw");
      Files.write(raw, expected);
      try (LocalImage rawImage = LocalImage.openRead(raw)) {
        assertThat(QemuImages.blkhash(opened)).isEqualTo(QemuImages.blkhash(rawImage));
      }
    }
    try (OpenedImage opened = ImageOpener.open(image.toString())) {
      assertThat(opened.delegate()).isInstanceOf(Qcow2Image.class);
      assertThat(opened.format()).isEqualTo("qcow2");
    }
  }
}
