package dev.intact.core.posix;

import static dev.intact.core.posix.Posix.syscall;

import java.lang.foreign.MemorySegment;

/**
 * A read-only shared mapping of part of a file ({@code mmap(2)}): page-cached bytes read where they
 * are, without the copy {@code pread} makes of them.
 *
 * <p>Reading a mapped page that the file no longer has (it was truncated) or that the storage
 * cannot read raises SIGBUS, which kills the JVM when native code or a JIT intrinsic makes the
 * read: read a mapping only after {@link #populate} succeeded, and only while a {@link ReadLease}
 * keeps other processes from truncating the file.
 */
@SuppressWarnings(
    "restricted") // MemorySegment.reinterpret: the launcher passes --enable-native-access
public final class FileMapping implements AutoCloseable {
  private static final int PROT_READ = 1;
  private static final int MAP_SHARED = 1;
  private static final int MADV_POPULATE_READ = 22; // Linux 5.14
  private static final int POSIX_FADV_WILLNEED = 3;

  private final MemorySegment memory;
  private final String path;
  private boolean unmapped;

  private FileMapping(MemorySegment memory, String path) {
    this.memory = memory;
    this.path = path;
  }

  /**
   * Maps {@code [offset, offset + length)} of the file for reading. {@code offset} must be a
   * multiple of the page size.
   */
  public static FileMapping map(NativeFile file, long offset, long length)
      throws NativeIoException {
    if (length <= 0) {
      throw new IllegalArgumentException("cannot map " + length + " bytes");
    }
    long address =
        SystemCall.run(
            "mmap",
            file.path(),
            s ->
                syscall(
                    s, SyscallNumbers.MMAP, 0, length, PROT_READ, MAP_SHARED, file.fd(), offset));
    return new FileMapping(
        MemorySegment.ofAddress(address).reinterpret(length).asReadOnly(), file.path());
  }

  /** The mapped bytes, read-only. Valid until {@link #close}. */
  public MemorySegment memory() {
    return memory;
  }

  /**
   * Maps every page of the range into this process now, reading from the storage what the page
   * cache lacks ({@code MADV_POPULATE_READ}), so that reading the memory afterwards cannot fault. A
   * page past the end of the file, or one the storage fails to read, makes this throw (EFAULT, EIO,
   * ...) where reading the memory would have raised SIGBUS.
   *
   * @throws NativeIoException EINVAL on kernels older than 5.14, which lack the call
   */
  public void populate() throws NativeIoException {
    SystemCall.run(
        "madvise(MADV_POPULATE_READ)",
        path,
        s ->
            syscall(
                s,
                SyscallNumbers.MADVISE,
                memory.address(),
                memory.byteSize(),
                MADV_POPULATE_READ,
                0));
  }

  /**
   * Starts reading {@code [offset, offset + length)} of the file into the page cache without
   * waiting ({@code posix_fadvise POSIX_FADV_WILLNEED}): storage reads overlap the hashing of what
   * is already mapped. Only a hint; failures are ignored. {@code length} must be positive: the
   * kernel takes 0 for "to the end of the file".
   */
  public static void readAhead(NativeFile file, long offset, long length) {
    if (length <= 0) {
      throw new IllegalArgumentException("read-ahead length must be positive, not " + length);
    }
    try {
      syscall(
          Posix.callState(),
          SyscallNumbers.FADVISE64,
          file.fd(),
          offset,
          length,
          POSIX_FADV_WILLNEED);
    } catch (Throwable t) {
      throw Posix.rethrow(t);
    }
  }

  /** Unmaps the range ({@code munmap}); the memory must not be read afterwards. */
  @Override
  public void close() throws NativeIoException {
    if (unmapped) {
      return;
    }
    unmapped = true;
    SystemCall.run(
        "munmap",
        path,
        s -> syscall(s, SyscallNumbers.MUNMAP, memory.address(), memory.byteSize(), 0, 0));
  }
}
