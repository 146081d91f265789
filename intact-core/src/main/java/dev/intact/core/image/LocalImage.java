package dev.intact.core.image;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.intact.core.posix.BounceBuffers;
import dev.intact.core.posix.NativeFile;
import dev.intact.core.posix.NativeIoException;
import dev.intact.core.posix.Posix;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A regular file or a block device on this machine. Its allocation map comes from {@code lseek}
 * SEEK_DATA/SEEK_HOLE; file systems without them are reported as all data. A device's size comes
 * from {@code ioctl BLKGETSIZE64}.
 */
public final class LocalImage implements WritableImage {
  private static final int FILE_DIRECT_ALIGNMENT = 4096;
  private static final int ZERO_CHUNK = 1 << 20;

  private final NativeFile file;
  private final boolean writable;
  private final boolean blockDevice;
  private final long deviceSize;
  private volatile boolean sparseAware;
  private volatile int sectorSize; // of a block device, asked on first use
  private NativeFile directFile; // guarded by this; opened on first readDirect
  private boolean directUnsupported; // guarded by this

  private LocalImage(NativeFile file, boolean writable) throws NativeIoException {
    this.file = file;
    this.writable = writable;
    NativeFile.Stat stat = file.stat();
    if (stat.isDirectory()) {
      throw new NativeIoException("open", file.path(), Posix.EISDIR, Posix.strerror(Posix.EISDIR));
    }
    this.blockDevice = stat.isBlockDevice();
    this.deviceSize = blockDevice ? file.blockDeviceSize() : -1;
    // Devices answer SEEK_DATA with "all data"; skip the calls.
    this.sparseAware = !blockDevice;
  }

  /** Opens a file or device for reading. */
  public static LocalImage openRead(Path path) throws IOException {
    return open(path, Posix.O_RDONLY, false);
  }

  /**
   * Opens an existing file or device for reading and writing. A block device is claimed exclusively
   * ({@code O_EXCL}): the kernel refuses while it, or a partition of it, is mounted or claimed by
   * another program, so nothing is written under a mounted file system.
   *
   * @throws ImageBusyException if the device is mounted or claimed
   */
  public static LocalImage openWrite(Path path) throws IOException {
    LocalImage image = open(path, Posix.O_RDWR, true);
    if (!image.blockDevice) {
      return image;
    }
    image.close();
    try {
      return open(path, Posix.O_RDWR | Posix.O_EXCL, true);
    } catch (NativeIoException e) {
      if (e.errno() == Posix.EBUSY) {
        throw new ImageBusyException(path.toString());
      }
      throw e;
    }
  }

  /**
   * Creates a new file of {@code size} bytes that reads as zeros (a sparse file, costing no space),
   * open for reading and writing. An existing file is an error, never overwritten.
   */
  public static LocalImage create(Path path, long size) throws IOException {
    LocalImage image = open(path, Posix.O_RDWR | Posix.O_CREAT | Posix.O_EXCL, true);
    try {
      image.file.ftruncate(size);
      return image;
    } catch (IOException e) {
      image.close();
      throw e;
    }
  }

  private static LocalImage open(Path path, int flags, boolean writable) throws IOException {
    NativeFile file = Posix.open(path, flags, 0666);
    try {
      return new LocalImage(file, writable);
    } catch (IOException | RuntimeException e) {
      try {
        file.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  @Override
  public String name() {
    return file.path();
  }

  public boolean isBlockDevice() {
    return blockDevice;
  }

  /** The descriptor, for callers that need a call this class does not wrap. */
  public NativeFile nativeFile() {
    return file;
  }

  @Override
  public long size() throws IOException {
    return blockDevice ? deviceSize : file.stat().size();
  }

  @Override
  public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
    file.readFully(position, dst, offset, length);
  }

  /** Reads with pread straight into {@code dst}: no copy through a heap array. */
  @Override
  public void readFully(long position, MemorySegment dst) throws IOException {
    file.readFully(position, dst);
  }

  @Override
  public Extent extentAt(long position, long end) throws IOException {
    if (!sparseAware) {
      return new Extent(position, end - position, false);
    }
    long data;
    try {
      data = file.seekData(position);
    } catch (NativeIoException e) {
      if (e.errno() == Posix.EINVAL || e.errno() == Posix.EOPNOTSUPP) {
        sparseAware = false; // a file system without SEEK_DATA: everything is data
        return new Extent(position, end - position, false);
      }
      throw e;
    }
    if (data < 0 || data >= end) {
      return new Extent(position, end - position, true);
    }
    if (data > position) {
      return new Extent(position, data - position, true);
    }
    long hole = file.seekHole(position);
    return new Extent(position, Math.min(hole, end) - position, false);
  }

  @Override
  public void write(long position, byte[] src, int offset, int length) throws IOException {
    checkWritable();
    file.writeFully(position, src, offset, length);
  }

  @Override
  public void zero(long position, long length) throws IOException {
    checkWritable();
    if (length == 0) {
      return;
    }
    if (blockDevice) {
      zeroDevice(position, length);
    } else {
      zeroFile(position, length);
    }
  }

  /** ZERO_RANGE keeps the blocks (as unwritten extents); a device has no holes to make. */
  @Override
  public void zeroAllocated(long position, long length) throws IOException {
    checkWritable();
    if (length == 0) {
      return;
    }
    if (blockDevice) {
      zeroDevice(position, length);
      return;
    }
    try {
      file.fallocate(Posix.FALLOC_FL_ZERO_RANGE, position, length); // grows the file if needed
    } catch (NativeIoException e) {
      if (e.errno() != Posix.EOPNOTSUPP && e.errno() != Posix.EINVAL) {
        throw e;
      }
      writeZeros(position, length);
    }
  }

  private void zeroFile(long position, long length) throws IOException {
    long end = position + length;
    long size = file.stat().size();
    long inside = Math.min(end, size) - position;
    if (inside > 0 && !deallocate(position, inside)) {
      writeZeros(position, inside);
    }
    if (end > size) {
      file.ftruncate(end); // the new tail of a file is a hole
    }
  }

  /** Punches a hole, else zeroes the range in place; false if the file system does neither. */
  private boolean deallocate(long position, long length) throws NativeIoException {
    for (int mode :
        new int[] {
          Posix.FALLOC_FL_PUNCH_HOLE | Posix.FALLOC_FL_KEEP_SIZE,
          Posix.FALLOC_FL_ZERO_RANGE | Posix.FALLOC_FL_KEEP_SIZE
        }) {
      try {
        file.fallocate(mode, position, length);
        return true;
      } catch (NativeIoException e) {
        if (e.errno() != Posix.EOPNOTSUPP && e.errno() != Posix.EINVAL) {
          throw e;
        }
      }
    }
    return false;
  }

  private void zeroDevice(long position, long length) throws IOException {
    int sector = sectorSize();
    long alignedStart = Math.ceilDiv(position, sector) * sector;
    long alignedEnd = Math.floorDiv(position + length, sector) * sector;
    if (alignedEnd <= alignedStart) {
      writeZeros(position, length);
      return;
    }
    writeZeros(position, alignedStart - position);
    try {
      file.blockZeroOut(alignedStart, alignedEnd - alignedStart);
    } catch (NativeIoException e) {
      if (e.errno() != Posix.EOPNOTSUPP && e.errno() != Posix.EINVAL && e.errno() != Posix.ENOTTY) {
        throw e;
      }
      writeZeros(alignedStart, alignedEnd - alignedStart);
    }
    writeZeros(alignedEnd, position + length - alignedEnd);
  }

  private void writeZeros(long position, long length) throws NativeIoException {
    if (length <= 0) {
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment zeros = arena.allocate(Math.min(length, ZERO_CHUNK)); // zero-filled
      for (long done = 0; done < length; ) {
        long n = Math.min(zeros.byteSize(), length - done);
        file.writeFully(position + done, zeros.asSlice(0, n));
        done += n;
      }
    }
  }

  /** A regular file; a block device has the size of the device. */
  @Override
  public boolean resizable() {
    return !blockDevice;
  }

  @Override
  public void resize(long size) throws IOException {
    checkWritable();
    if (blockDevice) {
      throw new UnsupportedOperationException(name() + ": a block device cannot be resized");
    }
    file.ftruncate(size);
  }

  @Override
  public void flush() throws IOException {
    checkWritable();
    file.fdatasync();
  }

  @Override
  public void readDirect(long position, byte[] dst, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, dst.length);
    NativeFile direct = directFile();
    if (direct == null) {
      // Some file systems refuse O_DIRECT (tmpfs before Linux 6.6, some FUSE ones): for tmpfs the
      // page cache is the storage, so a plain read already sees what was written.
      readFully(position, dst, offset, length);
      return;
    }
    int align = blockDevice ? sectorSize() : FILE_DIRECT_ALIGNMENT;
    long end = position + length;
    long span = Math.ceilDiv(end, align) * align - Math.floorDiv(position, align) * align;
    long bounceSize = Math.min(span, BounceBuffers.SIZE);
    MemorySegment bounce = BounceBuffers.take();
    try {
      long cur = position;
      while (cur < end) {
        long alignedStart = Math.floorDiv(cur, align) * align;
        long alignedEnd = Math.min(Math.ceilDiv(end, align) * align, alignedStart + bounceSize);
        long n = direct.pread(alignedStart, bounce.asSlice(0, alignedEnd - alignedStart));
        long copyEnd = Math.min(end, alignedStart + n);
        if (copyEnd <= cur) {
          throw new EOFException(name() + " ends at " + cur + ", before " + end);
        }
        MemorySegment.copy(
            bounce,
            JAVA_BYTE,
            cur - alignedStart,
            dst,
            offset + (int) (cur - position),
            (int) (copyEnd - cur));
        cur = copyEnd;
      }
    } finally {
      BounceBuffers.give(bounce);
    }
  }

  private int sectorSize() throws NativeIoException {
    if (sectorSize == 0) {
      sectorSize = file.logicalSectorSize();
    }
    return sectorSize;
  }

  private synchronized NativeFile directFile() throws IOException {
    if (directFile == null && !directUnsupported) {
      try {
        directFile = Posix.open(Path.of(file.path()), Posix.O_RDONLY | Posix.O_DIRECT, 0);
      } catch (NativeIoException e) {
        if (e.errno() != Posix.EINVAL) {
          throw e;
        }
        directUnsupported = true;
      }
    }
    return directFile;
  }

  private void checkWritable() throws IOException {
    if (!writable) {
      throw new ReadOnlyImageException(name());
    }
  }

  @Override
  public void close() throws IOException {
    NativeFile direct;
    synchronized (this) {
      direct = directFile;
    }
    try {
      file.close();
    } finally {
      if (direct != null) {
        direct.close();
      }
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
