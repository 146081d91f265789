package dev.intact.core.posix;

/**
 * Linux system call numbers of the descriptor calls {@link Posix} makes through {@code syscall(2)}:
 * x86-64's table and the generic one AArch64 uses ({@code asm/unistd_64.h}, {@code
 * asm-generic/unistd.h}).
 */
final class SyscallNumbers {
  private static final boolean X86_64 = Posix.O_DIRECT == 0x4000;

  static final long OPENAT = X86_64 ? 257 : 56;
  static final long CLOSE = X86_64 ? 3 : 57;
  static final long FSTAT = X86_64 ? 5 : 80;
  static final long LSEEK = X86_64 ? 8 : 62;
  static final long PREAD64 = X86_64 ? 17 : 67;
  static final long PWRITE64 = X86_64 ? 18 : 68;
  static final long IOCTL = X86_64 ? 16 : 29;
  static final long FLOCK = X86_64 ? 73 : 32;
  static final long FSYNC = X86_64 ? 74 : 82;
  static final long FDATASYNC = X86_64 ? 75 : 83;
  static final long FTRUNCATE = X86_64 ? 77 : 46;
  static final long FALLOCATE = X86_64 ? 285 : 47;
  static final long COPY_FILE_RANGE = X86_64 ? 326 : 285;
  static final long SYNC_FILE_RANGE = X86_64 ? 277 : 84;
  static final long OPENAT2 = 437;
  static final long MMAP = X86_64 ? 9 : 222;
  static final long MUNMAP = X86_64 ? 11 : 215;
  static final long MADVISE = X86_64 ? 28 : 233;
  static final long FADVISE64 = X86_64 ? 221 : 223;
  static final long FCNTL = X86_64 ? 72 : 25;
  static final long GETTID = X86_64 ? 186 : 178;
  static final long GETPRIORITY = X86_64 ? 140 : 141;
  static final long SETPRIORITY = X86_64 ? 141 : 140;

  private SyscallNumbers() {}
}
