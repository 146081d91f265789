package dev.intact.core.posix;

import static dev.intact.core.posix.Posix.EINTR;
import static dev.intact.core.posix.Posix.ENXIO;
import static dev.intact.core.posix.Posix.address;
import static dev.intact.core.posix.Posix.callState;
import static dev.intact.core.posix.Posix.errno;
import static dev.intact.core.posix.Posix.failure;
import static dev.intact.core.posix.Posix.rethrow;
import static dev.intact.core.posix.Posix.syscall;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.Closeable;
import java.io.EOFException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * An open file descriptor and the path it was opened from. Every failing call throws a {@link
 * NativeIoException} naming the call and the path.
 *
 * <p>Positional calls (pread, pwrite, lseek with SEEK_DATA/SEEK_HOLE, fallocate, ioctl) are safe
 * from many threads at once. {@link #close} must not race with them: the descriptor number could be
 * reused by another open.
 */
public final class NativeFile implements Closeable {
  private static final int S_IFMT = 0170000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;
  // struct stat: st_mode is at 24 on x86-64 (after a 64-bit st_nlink) and at 16 on AArch64;
  // st_size is at 48 on both.
  private static final long ST_MODE_OFFSET = Posix.O_DIRECT == 0x4000 ? 24 : 16;
  private static final long ST_SIZE_OFFSET = 48;
  // st_dev and st_ino lead the struct, st_rdev is at 40 on x86-64 and 32 on AArch64, and the
  // (seconds, nanoseconds) pairs st_mtim and st_ctim are at 88 and 104 on both.
  private static final long ST_DEV_OFFSET = 0;
  private static final long ST_INO_OFFSET = 8;
  private static final long ST_RDEV_OFFSET = Posix.O_DIRECT == 0x4000 ? 40 : 32;
  private static final long ST_MTIM_OFFSET = 88;
  private static final long ST_CTIM_OFFSET = 104;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long STAT_SIZE = 144;
  private static final int MAX_CRITICAL_READ = 1 << 20;
  private static final long LOOP_GET_STATUS64 = 0x4C05;
  // struct loop_info64: lo_device and lo_inode (of the backing file) lead it; 232 bytes in all.
  private static final long LOOP_INFO64_SIZE = 232;

  private final int fd;
  private final String path;
  private volatile boolean closed;

  NativeFile(int fd, String path) {
    this.fd = fd;
    this.path = path;
  }

  /**
   * What {@code fstat} says about the file: its type, for regular files its size, which inode it is
   * ({@code dev}, {@code ino}: equal for two descriptors of one file, whatever names they were
   * opened by), the device number a block device stands for ({@code rdev}), and when its data
   * ({@code mtimeNanos}) and its inode ({@code ctimeNanos}) last changed, in nanoseconds since the
   * epoch.
   */
  public record Stat(
      int mode, long size, long dev, long ino, long rdev, long mtimeNanos, long ctimeNanos) {
    /** Which file this is: equal for every descriptor and name of one inode. */
    public FileId id() {
      return new FileId(dev, ino);
    }

    public boolean isBlockDevice() {
      return (mode & S_IFMT) == S_IFBLK;
    }

    public boolean isRegularFile() {
      return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isDirectory() {
      return (mode & S_IFMT) == S_IFDIR;
    }

    /** Only an {@code O_PATH | O_NOFOLLOW} descriptor can be one. */
    public boolean isSymbolicLink() {
      return (mode & S_IFMT) == S_IFLNK;
    }
  }

  public int fd() {
    return fd;
  }

  public String path() {
    return path;
  }

  public Stat stat() throws NativeIoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(STAT_SIZE, 8);
      SystemCall.run("fstat", path, s -> syscall(s, SyscallNumbers.FSTAT, fd, buf.address(), 0, 0));
      return new Stat(
          buf.get(JAVA_INT, ST_MODE_OFFSET),
          buf.get(JAVA_LONG, ST_SIZE_OFFSET),
          buf.get(JAVA_LONG, ST_DEV_OFFSET),
          buf.get(JAVA_LONG, ST_INO_OFFSET),
          buf.get(JAVA_LONG, ST_RDEV_OFFSET),
          nanos(buf, ST_MTIM_OFFSET),
          nanos(buf, ST_CTIM_OFFSET));
    }
  }

  private static long nanos(MemorySegment stat, long offset) {
    return stat.get(JAVA_LONG, offset) * NANOS_PER_SECOND + stat.get(JAVA_LONG, offset + 8);
  }

  /**
   * What the loop device this descriptor is open on reads from ({@code ioctl LOOP_GET_STATUS64}):
   * the device and inode numbers of its backing file, or empty if this is not a bound loop device.
   */
  public java.util.Optional<FileId> loopBackingFile() throws NativeIoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment info = arena.allocate(LOOP_INFO64_SIZE, 8);
      try {
        ioctl(LOOP_GET_STATUS64, info, "ioctl(LOOP_GET_STATUS64)");
      } catch (NativeIoException e) {
        // ENXIO: a loop device with nothing bound; ENOTTY/EINVAL: not a loop device.
        if (e.errnoIsOneOf(ENXIO, Posix.ENOTTY, Posix.EINVAL)) {
          return java.util.Optional.empty();
        }
        throw e;
      }
      return java.util.Optional.of(new FileId(info.get(JAVA_LONG, 0), info.get(JAVA_LONG, 8)));
    }
  }

  /**
   * One {@code pread} into a heap array: the number of bytes read (at most 1 MiB: a read may be
   * short), 0 at the end of the file. No copy is made (see {@link Posix.PreadHeap}); the 1 MiB cap
   * bounds how long the call holds off the garbage collector.
   */
  public int pread(long position, byte[] dst, int offset, int length) throws NativeIoException {
    Objects.checkFromIndexSize(offset, length, dst.length);
    long n = Math.min(length, MAX_CRITICAL_READ);
    MemorySegment target = MemorySegment.ofArray(dst).asSlice(offset, n);
    return (int)
        SystemCall.run(
            "pread",
            path,
            s -> (long) Posix.PreadHeap.HANDLE.invokeExact(s, fd, target, n, position));
  }

  /** One {@code pread} into native memory (an aligned buffer for O_DIRECT, for example). */
  public long pread(long position, MemorySegment dst) throws NativeIoException {
    return SystemCall.run(
        "pread",
        path,
        s -> syscall(s, SyscallNumbers.PREAD64, fd, address(dst), dst.byteSize(), position));
  }

  /**
   * Reads exactly {@code length} bytes at {@code position}.
   *
   * @throws EOFException naming the path and offset if the file ends first
   */
  public void readFully(long position, byte[] dst, int offset, int length)
      throws NativeIoException, EOFException {
    int done = 0;
    while (done < length) {
      int n = pread(position + done, dst, offset + done, length - done);
      if (n == 0) {
        throw new EOFException(
            path + " ends at " + (position + done) + ", before " + (position + length));
      }
      done += n;
    }
  }

  /**
   * Reads exactly {@code dst.byteSize()} bytes at {@code position} into native memory.
   *
   * @throws EOFException naming the path and offset if the file ends first
   */
  public void readFully(long position, MemorySegment dst) throws NativeIoException, EOFException {
    long length = dst.byteSize();
    for (long done = 0; done < length; ) {
      long n = pread(position + done, dst.asSlice(done));
      if (n == 0) {
        throw new EOFException(
            path + " ends at " + (position + done) + ", before " + (position + length));
      }
      done += n;
    }
  }

  /** One {@code pwrite} from native memory: the number of bytes written. */
  public long pwrite(long position, MemorySegment src) throws NativeIoException {
    return SystemCall.run(
        "pwrite",
        path,
        s -> syscall(s, SyscallNumbers.PWRITE64, fd, address(src), src.byteSize(), position));
  }

  /** Writes all of {@code src} at {@code position}, looping over short writes. */
  public void writeFully(long position, MemorySegment src) throws NativeIoException {
    long done = 0;
    long size = src.byteSize();
    while (done < size) {
      long n = pwrite(position + done, src.asSlice(done));
      if (n == 0) {
        throw new NativeIoException("pwrite", path, Posix.EIO, "wrote nothing at " + position);
      }
      done += n;
    }
  }

  /**
   * Copies {@code length} bytes at {@code from} to {@code to} in this same file with {@code
   * copy_file_range(2)}: the kernel moves them from page cache to page cache (or lets the file
   * system share or offload them), not through user space. The ranges must not overlap. Like a
   * write, the copy is durable only after {@link #fdatasync}.
   *
   * @throws NativeIoException EXDEV, ENOSYS, EINVAL or EOPNOTSUPP when the kernel or the file (a
   *     block device, say) cannot copy this way; the caller then copies through a buffer
   */
  public void copyWithin(long from, long to, long length) throws NativeIoException, EOFException {
    try (Arena arena = Arena.ofConfined()) {
      // The kernel advances both offsets by what it copied.
      MemorySegment offsets = arena.allocate(JAVA_LONG, 2);
      offsets.setAtIndex(JAVA_LONG, 0, from);
      offsets.setAtIndex(JAVA_LONG, 1, to);
      long in = offsets.address();
      long out = in + JAVA_LONG.byteSize();
      for (long done = 0; done < length; ) {
        long want = length - done;
        long n =
            SystemCall.run(
                "copy_file_range",
                path,
                s -> syscall(s, SyscallNumbers.COPY_FILE_RANGE, fd, in, fd, out, want, 0));
        if (n == 0) {
          throw new EOFException(
              path + " ends at " + (from + done) + ", before " + (from + length));
        }
        done += n;
      }
    }
  }

  /**
   * Writes {@code length} bytes of a heap array at {@code position}. The bytes go through a native
   * buffer: a write can block for long (device queues, NFS), and a critical call would hold off the
   * garbage collector of every thread for that long.
   */
  public void writeFully(long position, byte[] src, int offset, int length)
      throws NativeIoException {
    Objects.checkFromIndexSize(offset, length, src.length);
    MemorySegment buf = BounceBuffers.take();
    try {
      for (int done = 0; done < length; done += BounceBuffers.SIZE) {
        int n = Math.min(BounceBuffers.SIZE, length - done);
        MemorySegment.copy(src, offset + done, buf, JAVA_BYTE, 0, n);
        writeFully(position + done, buf.asSlice(0, n));
      }
    } finally {
      BounceBuffers.give(buf);
    }
  }

  /** {@code lseek(fd, offset, whence)}; the raw result. */
  public long lseek(long offset, int whence) throws NativeIoException {
    long r = lseekOrErrno(offset, whence);
    if (r < 0) {
      throw failure("lseek(" + whenceName(whence) + ")", path, (int) -r);
    }
    return r;
  }

  /**
   * The first offset at or after {@code offset} that holds data, or -1 if there is none (ENXIO:
   * only holes from there to the end).
   */
  public long seekData(long offset) throws NativeIoException {
    long r = lseekOrErrno(offset, Posix.SEEK_DATA);
    if (r == -ENXIO) {
      return -1;
    }
    if (r < 0) {
      throw failure("lseek(SEEK_DATA)", path, (int) -r);
    }
    return r;
  }

  /** The first hole at or after {@code offset}; the end of the file counts as a hole. */
  public long seekHole(long offset) throws NativeIoException {
    return lseek(offset, Posix.SEEK_HOLE);
  }

  /** The result of lseek, or minus errno. */
  private long lseekOrErrno(long offset, int whence) {
    try {
      MemorySegment state = callState();
      long r = syscall(state, SyscallNumbers.LSEEK, fd, offset, whence, 0);
      return r < 0 ? -errno(state) : r;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static String whenceName(int whence) {
    return switch (whence) {
      case Posix.SEEK_SET -> "SEEK_SET";
      case Posix.SEEK_END -> "SEEK_END";
      case Posix.SEEK_DATA -> "SEEK_DATA";
      case Posix.SEEK_HOLE -> "SEEK_HOLE";
      default -> String.valueOf(whence);
    };
  }

  /** {@code fallocate(fd, mode, offset, length)}; see the {@code FALLOC_FL_*} constants. */
  public void fallocate(int mode, long offset, long length) throws NativeIoException {
    SystemCall.run(
        fallocateName(mode),
        path,
        s -> syscall(s, SyscallNumbers.FALLOCATE, fd, mode, offset, length));
  }

  private static String fallocateName(int mode) {
    if ((mode & Posix.FALLOC_FL_PUNCH_HOLE) != 0) {
      return "fallocate(PUNCH_HOLE)";
    }
    if ((mode & Posix.FALLOC_FL_ZERO_RANGE) != 0) {
      return "fallocate(ZERO_RANGE)";
    }
    return "fallocate";
  }

  /**
   * Starts writing the range's dirty pages to the storage without waiting for them ({@code
   * sync_file_range(2)} with {@code SYNC_FILE_RANGE_WRITE}), so a later {@link #fdatasync} finds
   * less to wait for. It makes nothing durable and says nothing about metadata.
   */
  public void startWriteback(long position, long length) throws NativeIoException {
    SystemCall.run(
        "sync_file_range",
        path,
        s ->
            syscall(
                s,
                SyscallNumbers.SYNC_FILE_RANGE,
                fd,
                position,
                length,
                Posix.SYNC_FILE_RANGE_WRITE));
  }

  public void fsync() throws NativeIoException {
    simple(SyscallNumbers.FSYNC, "fsync");
  }

  public void fdatasync() throws NativeIoException {
    simple(SyscallNumbers.FDATASYNC, "fdatasync");
  }

  private void simple(long number, String name) throws NativeIoException {
    SystemCall.run(name, path, s -> syscall(s, number, fd, 0, 0, 0));
  }

  /**
   * Takes an advisory flock(2) on this open file, shared or exclusive, without waiting; returns
   * false when another open file holds a conflicting one. Closing the file releases it.
   */
  public boolean tryFlock(boolean exclusive) throws NativeIoException {
    int op = (exclusive ? 2 : 1) | 4; // LOCK_EX or LOCK_SH, | LOCK_NB
    try {
      SystemCall.run("flock", path, s -> syscall(s, SyscallNumbers.FLOCK, fd, op, 0, 0));
      return true;
    } catch (NativeIoException e) {
      if (e.errno() == 11) { // EWOULDBLOCK
        return false;
      }
      throw e;
    }
  }

  public void ftruncate(long length) throws NativeIoException {
    SystemCall.run("ftruncate", path, s -> syscall(s, SyscallNumbers.FTRUNCATE, fd, length, 0, 0));
  }

  /** Size of a block device in bytes ({@code ioctl BLKGETSIZE64}). */
  public long blockDeviceSize() throws NativeIoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_LONG);
      ioctl(Posix.BLKGETSIZE64, out, "ioctl(BLKGETSIZE64)");
      return out.get(JAVA_LONG, 0);
    }
  }

  /** Logical sector size of a block device ({@code ioctl BLKSSZGET}): the O_DIRECT alignment. */
  public int logicalSectorSize() throws NativeIoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_INT);
      ioctl(Posix.BLKSSZGET, out, "ioctl(BLKSSZGET)");
      return out.get(JAVA_INT, 0);
    }
  }

  /** Makes a device range read as zeros ({@code ioctl BLKZEROOUT}); sector-aligned. */
  public void blockZeroOut(long offset, long length) throws NativeIoException {
    rangeIoctl(Posix.BLKZEROOUT, offset, length, "ioctl(BLKZEROOUT)");
  }

  /** Discards a device range ({@code ioctl BLKDISCARD}); its contents become undefined. */
  public void blockDiscard(long offset, long length) throws NativeIoException {
    rangeIoctl(Posix.BLKDISCARD, offset, length, "ioctl(BLKDISCARD)");
  }

  private void rangeIoctl(long request, long offset, long length, String name)
      throws NativeIoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment range = arena.allocate(JAVA_LONG, 2);
      range.setAtIndex(JAVA_LONG, 0, offset);
      range.setAtIndex(JAVA_LONG, 1, length);
      ioctl(request, range, name);
    }
  }

  private void ioctl(long request, MemorySegment arg, String name) throws NativeIoException {
    SystemCall.run(name, path, s -> syscall(s, SyscallNumbers.IOCTL, fd, request, address(arg), 0));
  }

  /** Closes the descriptor once; later calls do nothing. */
  @Override
  public void close() throws NativeIoException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      MemorySegment state = callState();
      // No retry on EINTR: Linux frees the descriptor even then, and a retry could close another.
      long rc = syscall(state, SyscallNumbers.CLOSE, fd, 0, 0, 0);
      if (rc < 0 && errno(state) != EINTR) {
        throw failure("close", path, errno(state));
      }
    } catch (NativeIoException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public String toString() {
    return path + " (fd " + fd + ")";
  }
}
