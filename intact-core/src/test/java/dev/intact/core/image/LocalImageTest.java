package dev.intact.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.posix.NativeIoException;
import dev.intact.core.posix.Posix;
import dev.intact.core.testing.SparseImage;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalImageTest {
  private static final int MIB = 1 << 20;
  private static final long TIB = 1L << 40;

  @TempDir Path dir;

  private static List<Extent> extents(Image image, long start, long end) throws IOException {
    List<Extent> out = new ArrayList<>();
    for (long pos = start; pos < end; ) {
      Extent e = image.extentAt(pos, end);
      assertThat(e.start()).isEqualTo(pos);
      assertThat(e.end()).isLessThanOrEqualTo(end);
      out.add(e);
      pos = e.end();
    }
    return out;
  }

  @Test
  void holesAtStartMiddleAndEndAreReportedAsZeroExtents() throws IOException {
    Path file =
        SparseImage.builder()
            .hole(MIB)
            .data(64 << 10, 1)
            .hole(MIB)
            .data(4096, 2)
            .hole(MIB)
            .build()
            .writeTo(dir.resolve("holes.img"));
    try (LocalImage image = LocalImage.openRead(file)) {
      assertThat(image.size()).isEqualTo(3 * MIB + (64 << 10) + 4096);
      assertThat(extents(image, 0, image.size()))
          .containsExactly(
              new Extent(0, MIB, true),
              new Extent(MIB, 64 << 10, false),
              new Extent(MIB + (64 << 10), MIB, true),
              new Extent(2 * MIB + (64 << 10), 4096, false),
              new Extent(2 * MIB + (64 << 10) + 4096, MIB, true));
    }
  }

  @Test
  void extentsAreClippedToTheRequestedEnd() throws IOException {
    Path file = SparseImage.builder().data(8192, 1).hole(MIB).build().writeTo(dir.resolve("c.img"));
    try (LocalImage image = LocalImage.openRead(file)) {
      assertThat(image.extentAt(4096, 6000)).isEqualTo(new Extent(4096, 6000 - 4096, false));
      assertThat(image.extentAt(8192, 10000)).isEqualTo(new Extent(8192, 10000 - 8192, true));
    }
  }

  /**
   * Past the end of a file cut short there is nothing, not a hole: zeros would sum bytes it lacks.
   */
  @Test
  void aFileCutShortSinceItsSizeWasTakenEndsInAnEofErrorNotAHole() throws IOException {
    Path file =
        SparseImage.builder().data(MIB, 1).hole(MIB).build().writeTo(dir.resolve("cut.img"));
    try (LocalImage image = LocalImage.openRead(file)) {
      long size = image.size();
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
        f.setLength(MIB / 2);
      }
      assertThat(image.extentAt(0, size)).isEqualTo(new Extent(0, MIB / 2, false));
      assertThatThrownBy(() -> image.extentAt(MIB / 2, size))
          .isInstanceOf(EOFException.class)
          .hasMessage(file + " ends at " + MIB / 2 + ", before " + size);
    }
  }

  @Test
  void aFullySparseFileIsOneZeroExtent() throws IOException {
    Path file = SparseImage.empty(5 * MIB + 123).writeTo(dir.resolve("empty.img"));
    try (LocalImage image = LocalImage.openRead(file)) {
      assertThat(extents(image, 0, image.size()))
          .containsExactly(new Extent(0, 5 * MIB + 123, true));
      byte[] buf = new byte[623];
      Arrays.fill(buf, (byte) 1);
      image.readFully(5 * MIB - 500, buf, 0, buf.length);
      assertThat(buf).containsOnly(0);
    }
  }

  @Test
  void aOneTebibyteSparseFileCostsNothingToMap() throws IOException {
    Path file = dir.resolve("huge.img");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(TIB);
      raf.seek(TIB / 2);
      raf.write(new byte[] {1, 2, 3});
    }
    try (LocalImage image = LocalImage.openRead(file)) {
      assertThat(image.size()).isEqualTo(TIB);
      List<Extent> map = extents(image, 0, TIB);
      assertThat(map).hasSize(3);
      assertThat(map.get(0)).isEqualTo(new Extent(0, TIB / 2, true));
      assertThat(map.get(1).zero()).isFalse();
      assertThat(map.get(1).start()).isEqualTo(TIB / 2);
      assertThat(map.get(2).zero()).isTrue();
      assertThat(map.get(2).end()).isEqualTo(TIB);
      byte[] three = new byte[3];
      image.readFully(TIB / 2, three, 0, 3);
      assertThat(three).containsExactly(1, 2, 3);
    }
  }

  @Test
  void readsAtUnalignedPositionsAndSizes() throws IOException {
    SparseImage spec = SparseImage.builder().data(4097, 3).hole(8191).data(3, 4).build();
    Path file = spec.writeTo(dir.resolve("odd.img"));
    byte[] expected = spec.bytes();
    try (LocalImage image = LocalImage.openRead(file)) {
      assertThat(image.size()).isEqualTo(4097 + 8191 + 3);
      byte[] all = new byte[expected.length];
      image.readFully(0, all, 0, all.length);
      assertThat(all).isEqualTo(expected);
      byte[] mid = new byte[5000];
      image.readFully(4000, mid, 0, 5000);
      assertThat(mid).isEqualTo(Arrays.copyOfRange(expected, 4000, 9000));
      assertThatThrownBy(() -> image.readFully(expected.length - 2, new byte[3], 0, 3))
          .isInstanceOf(EOFException.class)
          .hasMessageContaining(file.toString());
    }
  }

  @Test
  void readDirectBypassesTheCacheAtAnyAlignment() throws IOException {
    SparseImage spec = SparseImage.builder().data(3 * MIB + 77, 5).build();
    Path file = spec.writeTo(dir.resolve("direct.img"));
    byte[] expected = spec.bytes();
    Random random = new Random(11);
    try (LocalImage image = LocalImage.openRead(file)) {
      for (int i = 0; i < 50; i++) {
        int pos = random.nextInt(expected.length);
        int len = random.nextInt(expected.length - pos + 1);
        byte[] got = new byte[len + 2];
        image.readDirect(pos, got, 1, len);
        assertThat(Arrays.copyOfRange(got, 1, len + 1))
            .as("readDirect(%d, %d)", pos, len)
            .isEqualTo(Arrays.copyOfRange(expected, pos, pos + len));
      }
      byte[] tail = new byte[77];
      image.readDirect(3 * MIB, tail, 0, 77);
      assertThat(tail).isEqualTo(Arrays.copyOfRange(expected, 3 * MIB, expected.length));
      assertThatThrownBy(() -> image.readDirect(expected.length - 10, new byte[11], 0, 11))
          .isInstanceOf(EOFException.class)
          .hasMessageContaining(file.toString());
    }
  }

  @Test
  void readDirectReadsTheInodeWrittenAfterItsNameIsSwappedForASymbolicLink() throws IOException {
    Path file = dir.resolve("written.img");
    Path outside = Files.write(dir.resolve("outside.img"), filled(8192, (byte) 'X'));
    try (LocalImage image = LocalImage.create(file, 8192)) {
      image.write(0, filled(8192, (byte) 'w'), 0, 8192);
      image.flush();
      // The name now leads to another file: a read-back by name would hash that file instead.
      Files.move(file, dir.resolve("moved.img"));
      Files.createSymbolicLink(file, outside);
      byte[] back = new byte[8192];
      image.readDirect(0, back, 0, back.length);
      assertThat(back).isEqualTo(filled(8192, (byte) 'w'));
    }
  }

  @Test
  void aReadBackOpenedOnAnotherInodeIsRefused() throws IOException {
    Path file = Files.write(dir.resolve("mine.img"), filled(4096, (byte) 'm'));
    Path other = Files.write(dir.resolve("other.img"), filled(4096, (byte) 'o'));
    try (LocalImage image = LocalImage.openWrite(file)) {
      assertThatThrownBy(() -> image.openDirect(other))
          .isInstanceOf(ImageReplacedException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("nothing was verified");
      image.openDirect(file).close(); // the same inode by its name is accepted
    }
  }

  private static byte[] filled(int length, byte value) {
    byte[] b = new byte[length];
    Arrays.fill(b, value);
    return b;
  }

  @Test
  void readDirectWorksOnTmpfs() throws IOException {
    // tmpfs refused O_DIRECT before Linux 6.6 (LocalImage then reads plainly: its page cache is
    // the storage); newer kernels accept it. Either way the bytes must come back.
    Path shm = Path.of("/dev/shm");
    assertThat(shm).as("/dev/shm (tmpfs) is needed for this test").isDirectory();
    Path file = Files.createTempFile(shm, "intact-direct", ".img");
    try {
      SparseImage spec = SparseImage.builder().data(10_000, 9).build();
      spec.writeTo(file);
      try (LocalImage image = LocalImage.openRead(file)) {
        byte[] got = new byte[5000];
        image.readDirect(4321, got, 0, got.length);
        assertThat(got).isEqualTo(Arrays.copyOfRange(spec.bytes(), 4321, 9321));
      }
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void writesZeroesAndFlushes() throws IOException {
    Path file = dir.resolve("w.img");
    byte[] data = new byte[3 * MIB];
    new Random(1).nextBytes(data);
    try (LocalImage image = LocalImage.create(file, 4 * MIB)) {
      assertThat(image.size()).isEqualTo(4 * MIB);
      image.write(0, data, 0, data.length);
      image.zero(MIB, MIB);
      image.zero(4 * MIB - 100, 200); // reaches past the end: the file grows
      image.flush();
      assertThat(image.size()).isEqualTo(4 * MIB + 100);
      assertThat(image.extentAt(MIB, 2 * MIB)).isEqualTo(new Extent(MIB, MIB, true));

      Arrays.fill(data, MIB, 2 * MIB, (byte) 0);
      byte[] back = new byte[3 * MIB];
      image.readDirect(0, back, 0, back.length);
      assertThat(back).isEqualTo(data);
    }
    assertThat(Files.size(file)).isEqualTo(4 * MIB + 100);
  }

  @Test
  void zeroingAnUnalignedRangeKeepsItsNeighbours() throws IOException {
    Path file = dir.resolve("z.img");
    byte[] data = new byte[3 * 4096];
    Arrays.fill(data, (byte) 7);
    try (LocalImage image = LocalImage.create(file, data.length)) {
      image.write(0, data, 0, data.length);
      image.zero(100, 5000);
      Arrays.fill(data, 100, 5100, (byte) 0);
      byte[] back = new byte[data.length];
      image.readFully(0, back, 0, back.length);
      assertThat(back).isEqualTo(data);
    }
  }

  @Test
  void createRefusesAnExistingFile() throws IOException {
    Path file = Files.writeString(dir.resolve("exists.img"), "keep me");
    assertThatThrownBy(() -> LocalImage.create(file, 10))
        .isInstanceOf(NativeIoException.class)
        .hasMessage("open on " + file + " failed: File exists");
    assertThat(Files.readString(file)).isEqualTo("keep me");
  }

  @Test
  void aReadOnlyImageRefusesWrites() throws IOException {
    Path file = SparseImage.empty(4096).writeTo(dir.resolve("ro.img"));
    try (LocalImage image = LocalImage.openRead(file)) {
      assertThatThrownBy(() -> image.write(0, new byte[1], 0, 1))
          .isInstanceOf(ReadOnlyImageException.class)
          .hasMessage(file + " is open read-only; it cannot be written");
      assertThatThrownBy(() -> image.zero(0, 1)).isInstanceOf(ReadOnlyImageException.class);
    }
  }

  @Test
  void aMissingFileIsNamedInTheError() {
    Path missing = dir.resolve("no-such.img");
    assertThatThrownBy(() -> LocalImage.openRead(missing))
        .isInstanceOf(NativeIoException.class)
        .hasMessage("open on " + missing + " failed: No such file or directory")
        .satisfies(
            e -> {
              NativeIoException n = (NativeIoException) e;
              assertThat(n.errno()).isEqualTo(Posix.ENOENT);
              assertThat(n.operation()).isEqualTo("open");
              assertThat(n.path()).isEqualTo(missing.toString());
            });
  }

  @Test
  void aDirectoryIsNotAnImage() {
    assertThatThrownBy(() -> LocalImage.openRead(dir))
        .isInstanceOf(NativeIoException.class)
        .hasMessage("open on " + dir + " failed: Is a directory");
    assertThatThrownBy(() -> LocalImage.openWrite(dir))
        .isInstanceOf(NativeIoException.class)
        .hasMessage("open on " + dir + " failed: Is a directory");
  }

  @Test
  void aPathThroughAFileIsNotADirectory() throws IOException {
    Path file = Files.writeString(dir.resolve("plain"), "x");
    Path through = file.resolve("image.img");
    assertThatThrownBy(() -> LocalImage.openRead(through))
        .isInstanceOf(NativeIoException.class)
        .hasMessage("open on " + through + " failed: Not a directory");
  }
}
