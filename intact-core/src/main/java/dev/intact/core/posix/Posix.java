package dev.intact.core.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Linux system calls through the FFM API: what {@link java.nio.channels.FileChannel} does not offer
 * (SEEK_DATA/SEEK_HOLE, fallocate, block-device ioctls, O_DIRECT) plus the plain calls used beside
 * them on the same descriptor.
 *
 * <p>{@link #open} returns a {@link NativeFile}, which carries the descriptor and its path so every
 * failure names both the call and the file ({@link NativeIoException}). The constants are the Linux
 * values for x86-64 and AArch64 (they differ only in {@link #O_DIRECT}).
 */
@SuppressWarnings("restricted") // FFM downcalls: the launcher passes --enable-native-access
public final class Posix {

  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 1;
  public static final int O_RDWR = 2;
  public static final int O_CREAT = 0x40;
  public static final int O_EXCL = 0x80;
  public static final int O_TRUNC = 0x200;
  public static final int O_CLOEXEC = 0x80000;

  /** Bypass the page cache; buffers, offsets and lengths must be aligned to the logical block. */
  public static final int O_DIRECT = isAarch64() ? 0x10000 : 0x4000;

  public static final int SEEK_SET = 0;
  public static final int SEEK_END = 2;
  public static final int SEEK_DATA = 3;
  public static final int SEEK_HOLE = 4;

  public static final int FALLOC_FL_KEEP_SIZE = 0x01;
  public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
  public static final int FALLOC_FL_ZERO_RANGE = 0x10;

  /** {@code sync_file_range(2)}: start writing the range's dirty pages, do not wait. */
  static final int SYNC_FILE_RANGE_WRITE = 2;

  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int ENXIO = 6;
  public static final int EBADF = 9;
  public static final int EACCES = 13;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int ENODEV = 19;
  public static final int EISDIR = 21;
  public static final int EINVAL = 22;
  public static final int ENOTTY = 25;
  public static final int ENOSPC = 28;
  public static final int ESPIPE = 29;
  public static final int EOPNOTSUPP = 95;
  public static final int EXDEV = 18;
  public static final int ENOSYS = 38;

  // <linux/fs.h>: _IOR(0x12, 114, size_t), _IO(0x12, 104), _IO(0x12, 127), _IO(0x12, 119).
  static final long BLKGETSIZE64 = 0x80081272L;
  static final long BLKSSZGET = 0x1268L;
  static final long BLKZEROOUT = 0x127fL;
  static final long BLKDISCARD = 0x1277L;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  // A plain offset rather than a VarHandle: spinning one costs start-up time for a single int.
  private static final long ERRNO_OFFSET =
      CALL_STATE.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

  // The capture segment is per thread so calls need no allocation; Arena.ofAuto lets the GC free
  // the segments of finished (virtual) threads.
  private static final ThreadLocal<MemorySegment> CALL_STATE_SEGMENT =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

  /** {@code AT_FDCWD}: an {@code openat} path relative to the working directory. */
  static final int AT_FDCWD = -100;

  /**
   * {@code syscall(2)} with a call number and six arguments: every descriptor call (open, fstat,
   * lseek, pread into native memory, pwrite, mmap, close, ...) goes through this one downcall.
   * Linking a downcall spins a stub class per call shape, ~10-50 ms of CPU each at start-up (and
   * the JIT compiles the class writer that spins it); with one shape an {@code intact sum} of a
   * sparse image links one stub instead of four (open, fstat, lseek, close), a mapped sum one
   * instead of two. Unused arguments are passed as 0, which the kernel ignores.
   */
  private static final class Syscall {
    /** Any function of up to seven integer or pointer arguments, its address the first argument. */
    static final MethodHandle ANY =
        LINKER.downcallHandle(
            FunctionDescriptor.of(
                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                JAVA_LONG),
            ERRNO_OPTION,
            Linker.Option.firstVariadicArg(1));

    static final MethodHandle HANDLE =
        MethodHandles.insertArguments(ANY, 0, LIBC.findOrThrow("syscall"));
  }

  /**
   * pread straight into a heap array: {@code critical(true)} passes the array's address without the
   * copy through a native buffer that FileChannel makes. Measured with 4 MiB reads of a page-cached
   * 1 GiB file (2-core VM, JDK 25, machine shared): this ~5.6 GB/s, FileChannel into a heap
   * ByteBuffer ~3.6 GB/s. The price is that the calling thread holds off safepoints (and so the
   * garbage collector) for the duration of the call: {@link NativeFile#pread(long, byte[], int,
   * int)} caps such reads at 1 MiB, and writes, whose duration is less bounded, do not use it.
   * Linked on first use: a sum of an empty image never reads.
   */
  static final class PreadHeap {
    static final MethodHandle HANDLE =
        downcall(
            "pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG),
            Linker.Option.critical(true));
  }

  private static final class Strerror {
    static final MethodHandle HANDLE =
        LINKER.downcallHandle(
            LIBC.findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
  }

  private Posix() {}

  private static boolean isAarch64() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return arch.equals("aarch64") || arch.equals("arm64");
  }

  static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
    Linker.Option[] options = new Linker.Option[extra.length + 1];
    options[0] = ERRNO_OPTION;
    System.arraycopy(extra, 0, options, 1, extra.length);
    return LINKER.downcallHandle(LIBC.findOrThrow(name), descriptor, options);
  }

  /**
   * {@code syscall(number, a, b, c, d)} with the thread's errno capture segment {@code state}: the
   * raw result, -1 with errno set on failure.
   */
  static long syscall(MemorySegment state, long number, long a, long b, long c, long d)
      throws Throwable {
    return (long) Syscall.HANDLE.invokeExact(state, number, a, b, c, d, 0L, 0L);
  }

  /** {@link #syscall} with six arguments. */
  static long syscall(
      MemorySegment state, long number, long a, long b, long c, long d, long e, long f)
      throws Throwable {
    return (long) Syscall.HANDLE.invokeExact(state, number, a, b, c, d, e, f);
  }

  /**
   * Calls the C function at {@code function} with three integer or pointer arguments (a pointer as
   * the {@link MemorySegment#address()} of native memory) through the downcall stub of {@link
   * #syscall} itself, and returns its 64-bit result register (a narrower result is its low bits): a
   * library function called this way costs no stub of its own at start-up. Only for functions that
   * take integer or pointer arguments, on x86-64 and AArch64, whose calling conventions let a
   * function ignore the argument registers it does not take (and the variadic call's vector-count
   * register); the FFM API itself does not promise that, so callers check the architecture.
   */
  public static long call(MemorySegment function, long a, long b, long c) throws Throwable {
    return (long) Syscall.ANY.invokeExact(function, callState(), a, b, c, 0L, 0L, 0L, 0L);
  }

  /**
   * The address of native memory to pass to {@link #syscall}; a heap segment has none.
   *
   * @throws IllegalArgumentException for a heap segment
   */
  static long address(MemorySegment segment) {
    if (!segment.isNative()) {
      throw new IllegalArgumentException("a system call needs native memory, not " + segment);
    }
    return segment.address();
  }

  /**
   * Opens a file or device. {@code mode} applies only with {@link #O_CREAT}. {@link #O_CLOEXEC} is
   * always added: descriptors must not leak into processes started by the JVM.
   *
   * @throws NativeIoException naming the path and the reason (missing, permission, ...)
   */
  public static NativeFile open(Path path, int flags, int mode) throws NativeIoException {
    String name = path.toString();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cPath = cString(arena, path, name);
      long fd =
          SystemCall.run(
              "open",
              name,
              s ->
                  syscall(
                      s,
                      SyscallNumbers.OPENAT,
                      AT_FDCWD,
                      cPath.address(),
                      flags | O_CLOEXEC,
                      mode));
      return new NativeFile((int) fd, name);
    }
  }

  /**
   * The path's bytes, NUL-terminated. A name is bytes: {@code toString()} decodes them with the
   * locale's charset (ASCII under {@code LC_ALL=C}), which loses any it cannot spell, so a name
   * that is not plain ASCII is taken from the path's {@code file:} URI, which holds its bytes.
   */
  static MemorySegment cString(Arena arena, Path path) {
    return cString(arena, path, path.toString());
  }

  private static MemorySegment cString(Arena arena, Path path, String name) {
    if (name.chars().allMatch(c -> c > 0 && c < 0x80)) {
      return arena.allocateFrom(name);
    }
    byte[] bytes = percentDecode(path.toAbsolutePath().toUri().getRawPath());
    MemorySegment c = arena.allocate(bytes.length + 1L);
    MemorySegment.copy(bytes, 0, c, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
    return c; // allocate zeroes the memory: the last byte is the NUL
  }

  private static byte[] percentDecode(String raw) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        b.write(Integer.parseInt(raw, i + 1, i + 3, 16));
        i += 2;
      } else {
        b.write(c);
      }
    }
    return b.toByteArray();
  }

  /** The calling thread's errno capture segment, to pass as the first argument of a downcall. */
  static MemorySegment callState() {
    return CALL_STATE_SEGMENT.get();
  }

  static int errno(MemorySegment state) {
    return state.get(JAVA_INT, ERRNO_OFFSET);
  }

  /** The C library's text for an errno value: "No such file or directory". */
  public static String strerror(int errno) {
    try {
      MemorySegment text = (MemorySegment) Strerror.HANDLE.invokeExact(errno);
      return text.reinterpret(1024).getString(0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static NativeIoException failure(String operation, String path, int errno) {
    return new NativeIoException(operation, path, errno, strerror(errno));
  }

  /** Downcalls throw only what the native code cannot: unchecked errors from the linker. */
  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("unexpected exception from a native call", t);
  }
}
