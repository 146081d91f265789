package dev.intact.core.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.testing.SparseImage;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeFileTest {
  @TempDir Path dir;

  @Test
  void seekDataPastTheLastDataIsNoMoreData() throws IOException {
    Path file = SparseImage.builder().data(4096, 1).hole(1 << 20).build().writeTo(dir.resolve("a"));
    try (NativeFile f = Posix.open(file, Posix.O_RDONLY, 0)) {
      assertThat(f.seekData(0)).isZero();
      assertThat(f.seekHole(0)).isEqualTo(4096);
      assertThat(f.seekData(4096)).isEqualTo(-1);
      assertThat(f.seekHole(4096)).isEqualTo(4096);
    }
  }

  @Test
  void failuresNameTheCallThePathAndTheReason() throws IOException {
    Path file = SparseImage.empty(4096).writeTo(dir.resolve("b"));
    try (NativeFile f = Posix.open(file, Posix.O_RDONLY, 0)) {
      assertThatThrownBy(() -> f.lseek(-1, Posix.SEEK_SET))
          .isInstanceOf(NativeIoException.class)
          .hasMessage("lseek(SEEK_SET) on " + file + " failed: Invalid argument");
      assertThat(f.seekData(-1)).as("ENXIO: no data").isEqualTo(-1);
      assertThatThrownBy(() -> f.ftruncate(0))
          .isInstanceOf(NativeIoException.class)
          .hasMessageStartingWith("ftruncate on " + file + " failed: ");
      assertThatThrownBy(f::blockDeviceSize)
          .isInstanceOf(NativeIoException.class)
          .hasMessage("ioctl(BLKGETSIZE64) on " + file + " failed: Inappropriate ioctl for device");
    }
  }

  @Test
  void copyWithinCopiesARangeOfTheFileToAnotherPlaceInIt() throws IOException {
    int size = 3 << 20;
    byte[] content = new byte[size];
    new java.util.Random(7).nextBytes(content);
    Path file = Files.write(dir.resolve("copy"), content);
    try (NativeFile f = Posix.open(file, Posix.O_RDWR, 0)) {
      f.copyWithin(4096, (2 << 20) + 512, 512 << 10);
      f.startWriteback(0, size);
      assertThatThrownBy(() -> f.copyWithin(size - 10, 0, 20))
          .isInstanceOf(java.io.EOFException.class)
          .hasMessage(file + " ends at " + size + ", before " + (size + 10));
    }
    byte[] expected = content.clone();
    System.arraycopy(content, 4096, expected, (2 << 20) + 512, 512 << 10);
    System.arraycopy(content, size - 10, expected, 0, 10); // what was there before the end
    assertThat(Files.readAllBytes(file)).isEqualTo(expected);
  }

  @Test
  void statTellsFilesFromDirectories() throws IOException {
    Path file = Files.write(dir.resolve("c"), new byte[12345]);
    try (NativeFile f = Posix.open(file, Posix.O_RDONLY, 0);
        NativeFile d = Posix.open(dir, Posix.O_RDONLY, 0)) {
      assertThat(f.stat().isRegularFile()).isTrue();
      assertThat(f.stat().isBlockDevice()).isFalse();
      assertThat(f.stat().size()).isEqualTo(12345);
      assertThat(d.stat().isDirectory()).isTrue();
    }
  }

  @Test
  void writesFromNativeMemoryAndPunchesHoles() throws IOException {
    Path file = dir.resolve("d");
    try (NativeFile f = Posix.open(file, Posix.O_RDWR | Posix.O_CREAT | Posix.O_EXCL, 0644);
        Arena arena = Arena.ofConfined()) {
      MemorySegment block = arena.allocate(3 * 4096);
      block.fill((byte) 9);
      f.writeFully(0, block);
      f.fdatasync();
      f.fallocate(Posix.FALLOC_FL_PUNCH_HOLE | Posix.FALLOC_FL_KEEP_SIZE, 4096, 4096);
      f.fsync();
      assertThat(f.stat().size()).isEqualTo(3 * 4096);
      assertThat(f.seekHole(0)).isEqualTo(4096);
      assertThat(f.seekData(4096)).isEqualTo(8192);
      MemorySegment back = arena.allocate(3 * 4096);
      assertThat(f.pread(0, back)).isEqualTo(3 * 4096);
      assertThat(back.get(ValueLayout.JAVA_BYTE, 4095)).isEqualTo((byte) 9);
      assertThat(back.get(ValueLayout.JAVA_BYTE, 4096)).isZero();
      assertThat(back.get(ValueLayout.JAVA_BYTE, 8192)).isEqualTo((byte) 9);
    }
  }

  @Test
  void statNamesTheInodeWhateverPathOpenedItAndSeesItsDataChange() throws IOException {
    Path file = Files.write(dir.resolve("id"), new byte[] {1, 2, 3});
    Path link = Files.createSymbolicLink(dir.resolve("link"), file);
    Path other = Files.write(dir.resolve("other"), new byte[] {1, 2, 3});
    try (NativeFile a = Posix.open(file, Posix.O_RDWR, 0);
        NativeFile b = Posix.open(link, Posix.O_RDONLY, 0);
        NativeFile c = Posix.open(BeneathOpen.reopenPath(a), Posix.O_RDONLY, 0);
        NativeFile d = Posix.open(other, Posix.O_RDONLY, 0)) {
      NativeFile.Stat before = a.stat();
      assertThat(b.stat().id()).isEqualTo(before.id());
      assertThat(c.stat().id()).isEqualTo(before.id());
      assertThat(d.stat().id()).isNotEqualTo(before.id());
      assertThat(before.ino()).isEqualTo(Files.getAttribute(file, "unix:ino"));
      assertThat(before.mtimeNanos())
          .isEqualTo(Files.getLastModifiedTime(file).to(java.util.concurrent.TimeUnit.NANOSECONDS));
      assertThat(a.loopBackingFile()).as("a regular file is no loop device").isEmpty();
    }
  }

  @Test
  void createsWithTheModeLocksAndRefusesHeapMemoryForASystemCall() throws IOException {
    Path file = dir.resolve("e");
    try (NativeFile a = Posix.open(file, Posix.O_RDWR | Posix.O_CREAT | Posix.O_EXCL, 0640);
        NativeFile b = Posix.open(file, Posix.O_RDONLY, 0)) {
      assertThat(a.stat().mode() & 0777).as("the mode passed through openat").isEqualTo(0640);
      assertThat(a.tryFlock(true)).isTrue();
      assertThat(b.tryFlock(false)).as("held exclusively by the other open file").isFalse();
      MemorySegment heap = MemorySegment.ofArray(new byte[4096]);
      assertThatThrownBy(() -> a.pwrite(0, heap))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("a system call needs native memory");
    }
    assertThatThrownBy(() -> Posix.open(file, Posix.O_RDWR | Posix.O_CREAT | Posix.O_EXCL, 0640))
        .isInstanceOf(NativeIoException.class)
        .hasMessage("open on " + file + " failed: File exists");
  }
}
