package dev.intact.core.flash;

import dev.intact.core.image.ImageBusyException;
import dev.intact.core.image.LocalImage;
import dev.intact.core.posix.NativeFile;
import dev.intact.core.posix.NativeIoException;
import dev.intact.core.posix.Posix;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A destination on this machine: a block device held exclusively for the flash, or a regular file
 * truncated for it (so that it stays sparse). Read-back goes through O_DIRECT.
 */
public final class LocalTarget implements FlashTarget {
  private static final int DIRECT_ALIGNMENT = 4096;

  private final LocalImage image;
  private final Arena arena = Arena.ofShared();
  private MemorySegment writeBuffer; // guarded by this; reused so a write costs one copy only
  private final Object readLock = new Object();
  private NativeFile direct; // guarded by readLock; O_DIRECT descriptor for read-back
  private boolean directUnsupported; // guarded by readLock
  private MemorySegment bounce; // guarded by readLock; aligned, reused

  private LocalTarget(LocalImage image) {
    this.image = image;
  }

  /**
   * Opens {@code path} as a flash destination. A block device is claimed with O_EXCL, which the
   * kernel refuses while it (or a partition of it) is mounted or claimed by another program; a
   * regular file is created or emptied.
   *
   * @throws TargetBusyException if the device is in use
   * @throws IOException naming the path when it is neither a file nor a block device
   */
  public static LocalTarget open(Path path) throws IOException {
    if (Files.exists(path) && !Files.isRegularFile(path)) {
      LocalImage device;
      try {
        device = LocalImage.openWrite(path); // claims a block device exclusively
      } catch (ImageBusyException e) {
        throw new TargetBusyException(path.toString());
      }
      if (!device.isBlockDevice()) {
        device.close();
        throw new IOException(
            path + ": is neither a block device nor a regular file; refusing to flash to it");
      }
      return new LocalTarget(device);
    }
    if (Files.isSymbolicLink(path) && !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(path + ": is a dangling symbolic link");
    }
    LocalImage file = Files.exists(path) ? LocalImage.openWrite(path) : LocalImage.create(path, 0);
    try {
      // Old contents must not show through the holes of the new image.
      file.nativeFile().ftruncate(0);
      return new LocalTarget(file);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return image.name();
  }

  @Override
  public boolean isBlockDevice() {
    return image.isBlockDevice();
  }

  @Override
  public boolean unwrittenReadsZero() {
    return !image.isBlockDevice();
  }

  @Override
  public void setImageSize(long size) throws IOException {
    if (image.isBlockDevice()) {
      long capacity = image.size();
      if (capacity < size) {
        throw new TargetTooSmallException(name(), capacity, size);
      }
    } else {
      image.nativeFile().ftruncate(size);
    }
  }

  @Override
  public synchronized void write(long position, byte[] src, int offset, int length)
      throws IOException {
    if (writeBuffer == null || writeBuffer.byteSize() < length) {
      writeBuffer = arena.allocate(Math.max(length, 1 << 20), 4096);
    }
    MemorySegment.copy(src, offset, writeBuffer, ValueLayout.JAVA_BYTE, 0, length);
    image.nativeFile().writeFully(position, writeBuffer.asSlice(0, length));
  }

  @Override
  public void sync() throws IOException {
    image.flush();
  }

  /**
   * Reads with O_DIRECT into one reused aligned buffer (read-back chunks start on block
   * boundaries); anything else, or a file system without O_DIRECT, goes through {@link
   * LocalImage#readDirect}.
   */
  @Override
  public void readBack(long position, byte[] dst, int offset, int length) throws IOException {
    synchronized (readLock) {
      NativeFile d = directFile();
      if (d == null || position % DIRECT_ALIGNMENT != 0) {
        image.readDirect(position, dst, offset, length);
        return;
      }
      long span = Math.ceilDiv(length, DIRECT_ALIGNMENT) * (long) DIRECT_ALIGNMENT;
      if (bounce == null || bounce.byteSize() < span) {
        bounce = arena.allocate(span, DIRECT_ALIGNMENT);
      }
      long got = 0;
      while (got < length) {
        long want = span - got;
        long n = d.pread(position + got, bounce.asSlice(got, want));
        got += n;
        if (n < want) {
          break; // the end of a file: O_DIRECT cannot go on from an unaligned offset
        }
      }
      if (got < length) {
        throw new EOFException(
            name() + " ends at " + (position + got) + ", before " + (position + length));
      }
      MemorySegment.copy(bounce, ValueLayout.JAVA_BYTE, 0, dst, offset, length);
    }
  }

  private NativeFile directFile() throws IOException {
    if (direct == null && !directUnsupported) {
      try {
        direct = Posix.open(Path.of(name()), Posix.O_RDONLY | Posix.O_DIRECT | Posix.O_CLOEXEC, 0);
      } catch (NativeIoException e) {
        if (e.errno() != Posix.EINVAL) {
          throw e;
        }
        directUnsupported = true; // tmpfs and the like: LocalImage reads plainly
      }
    }
    return direct;
  }

  @Override
  public void close() throws IOException {
    try {
      image.close();
    } finally {
      try {
        synchronized (readLock) {
          if (direct != null) {
            direct.close();
          }
        }
      } finally {
        arena.close();
      }
    }
  }
}
