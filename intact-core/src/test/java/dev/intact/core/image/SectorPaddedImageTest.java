package dev.intact.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.testing.PeerFixtures;
import dev.intact.core.testing.PeerInputs;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw file presented as qemu presents it: padded with a zero hole to whole 512-byte sectors,
 * which is what {@code blksum FILE} hashes (fixtures recorded from blksum 0.11.0).
 */
class SectorPaddedImageTest {
  @TempDir Path dir;

  @Test
  void unalignedFileGrowsToTheNextSectorWithZeros() throws IOException {
    byte[] data = PeerInputs.splitMix64(3, 1000);
    try (Image image = SectorPaddedImage.of(LocalImage.openRead(write("a", data)))) {
      assertThat(image.size()).isEqualTo(1024);
      byte[] all = new byte[1024];
      Arrays.fill(all, (byte) 1);
      image.readFully(0, all, 0, 1024);
      assertThat(Arrays.copyOf(all, 1000)).isEqualTo(data);
      assertThat(Arrays.copyOfRange(all, 1000, 1024)).containsOnly(0);

      byte[] across = new byte[30];
      Arrays.fill(across, (byte) 1);
      image.startRead(990, across, 0, 30).await();
      assertThat(Arrays.copyOf(across, 10)).isEqualTo(Arrays.copyOfRange(data, 990, 1000));
      assertThat(Arrays.copyOfRange(across, 10, 30)).containsOnly(0);
      assertThat(image.pipelinesReads()).isFalse();
    }
  }

  @Test
  void tailIsAHoleAndTheFileKeepsItsOwnExtents() throws IOException {
    try (Image image = SectorPaddedImage.of(LocalImage.openRead(write("b", new byte[700])))) {
      assertThat(image.extentAt(0, 1024).end()).isEqualTo(700);
      assertThat(image.extentAt(700, 1024)).isEqualTo(new Extent(700, 324, true));
      assertThat(image.toString()).contains("padded from 700 to 1024");
    }
  }

  @Test
  void alignedAndEmptyFilesAreReturnedUnchanged() throws IOException {
    try (LocalImage aligned = LocalImage.openRead(write("c", new byte[512]));
        LocalImage empty = LocalImage.openRead(write("d", new byte[0]))) {
      assertThat(SectorPaddedImage.of(aligned)).isSameAs(aligned);
      assertThat(SectorPaddedImage.of(empty)).isSameAs(empty);
    }
  }

  @Test
  void readPastThePaddedEndFailsNamingTheFile() throws IOException {
    Path p = write("e", new byte[1]);
    try (Image image = SectorPaddedImage.of(LocalImage.openRead(p))) {
      assertThatThrownBy(() -> image.readFully(500, new byte[13], 0, 13))
          .isInstanceOf(EOFException.class)
          .hasMessageContaining(p.toString())
          .hasMessageContaining("padded size 512");
    }
  }

  @Test
  void engineOverPaddedFilesPrintsWhatBlksumPrintsForTheFile() throws IOException {
    ChecksumEngine engine = ChecksumEngine.withThreads(2);
    int checked = 0;
    for (PeerFixtures.Row row : PeerFixtures.read("blksum.tsv")) {
      if (!row.source().equals("file")) {
        continue;
      }
      ChecksumType type =
          ChecksumType.parse(
              "blkhash:" + row.algorithm().replace("blake2b512", "blake2b-512"),
              OptionalLong.of(row.blockSize()));
      Path p = dir.resolve(row.input() + ".raw");
      if (!Files.exists(p)) {
        PeerInputs.write(dir, row.input());
      }
      try (Image image = SectorPaddedImage.of(LocalImage.openRead(p))) {
        String value =
            engine
                .compute(image, type, ByteRange.whole(image.size()), ProgressListener.NONE)
                .value()
                .toHex();
        assertThat(value).as(row.command()).isEqualTo(row.result());
      }
      checked++;
    }
    assertThat(checked).isEqualTo(144);
  }

  private Path write(String name, byte[] data) throws IOException {
    return Files.write(dir.resolve(name), data);
  }
}
