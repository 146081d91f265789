package dev.intact.core.posix;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Opens a path beneath a directory without following any symbolic link, so a name checked once
 * cannot later be turned into a way out of the directory: {@code openat2} with {@code
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS} (Linux 5.6), and where the kernel
 * has no openat2 (ENOSYS) one {@code openat(O_NOFOLLOW)} per component. Descriptors are opened
 * {@link #O_PATH}: such an open never blocks (a fifo would block a plain open until a writer came)
 * and reads nothing; the caller checks the type with {@link NativeFile#stat} and reopens the very
 * inode through {@link #reopenPath}.
 */
@SuppressWarnings("restricted") // FFM downcalls: the launcher passes --enable-native-access
public final class BeneathOpen {
  /** Same value on x86-64 and AArch64. */
  public static final int O_PATH = 0x200000;

  public static final int O_NONBLOCK = 0x800;
  static final int O_DIRECTORY = isX86() ? 0x10000 : 0x4000;
  static final int O_NOFOLLOW = isX86() ? 0x20000 : 0x8000;
  static final int AT_FDCWD = -100;
  static final int ENOSYS = 38;
  static final int ELOOP = 40;
  static final int EXDEV = 18;
  static final int ENOTDIR = 20;
  static final long RESOLVE_NO_MAGICLINKS = 0x02;
  static final long RESOLVE_NO_SYMLINKS = 0x04;
  static final long RESOLVE_BENEATH = 0x08;
  // openat2 has the same number on every architecture (the unified syscall table, Linux 5.6).
  private static final long OPEN_HOW_SIZE = 24;

  private static volatile boolean noOpenat2;

  /**
   * Test seam: whether {@link #open} walks component by component as on a kernel without openat2
   * (this kernel has it, so the fallback would otherwise go untested). Returns the previous value.
   */
  static boolean forceComponentWalk(boolean force) {
    boolean was = noOpenat2;
    noOpenat2 = force;
    return was;
  }

  private BeneathOpen() {}

  private static boolean isX86() {
    return Posix.O_DIRECT == 0x4000;
  }

  /**
   * An {@link #O_PATH} descriptor of the directory {@code dir} (an absolute path none of whose
   * components may be a symbolic link: callers pass a real path).
   */
  public static NativeFile directory(Path dir) throws NativeIoException {
    if (!dir.isAbsolute()) {
      throw new IllegalArgumentException("not an absolute path: " + dir);
    }
    NativeFile slash = openAt(AT_FDCWD, "/", "/", O_PATH | O_DIRECTORY);
    String rest = dir.getRoot().relativize(dir).toString();
    if (rest.isEmpty()) {
      return slash;
    }
    try (slash) {
      return open(slash, rest, O_PATH | O_DIRECTORY);
    }
  }

  /**
   * Opens {@code relative} beneath {@code dir}: no component may be a symbolic link, {@code ..} or
   * an absolute path, and the file found is the one opened (no second lookup by name).
   *
   * @param flags open flags; {@code O_CLOEXEC} is always added
   * @throws NativeIoException ELOOP for a symbolic link on the way, EXDEV for a way out of {@code
   *     dir}, or what open says about the file
   */
  public static NativeFile open(NativeFile dir, String relative, int flags)
      throws NativeIoException {
    String name = dir.path().endsWith("/") ? dir.path() + relative : dir.path() + "/" + relative;
    if (!noOpenat2) {
      try {
        return openat2(dir.fd(), relative, name, flags);
      } catch (NativeIoException e) {
        if (e.errno() != ENOSYS) {
          throw e;
        }
        noOpenat2 = true;
      }
    }
    return openByComponents(dir, relative, flags);
  }

  /**
   * The fallback for kernels without openat2: each directory on the way opened with {@code O_PATH |
   * O_NOFOLLOW} relative to the one before and checked to be a directory, the last with {@code
   * O_NOFOLLOW}, and {@code ..} refused. With {@link #O_PATH} a final symbolic link is opened as
   * itself (not followed): callers check the type on the descriptor.
   */
  static NativeFile openByComponents(NativeFile dir, String relative, int flags)
      throws NativeIoException {
    String name = dir.path() + "/" + relative;
    if (relative.startsWith("/")) {
      throw Posix.failure("open", name, EXDEV); // as openat2 with RESOLVE_BENEATH says
    }
    String[] parts = relative.split("/", -1);
    int at = dir.fd();
    NativeFile current = null;
    try {
      for (int i = 0; i < parts.length; i++) {
        String part = parts[i];
        if (part.isEmpty() || part.equals(".")) {
          if (i == parts.length - 1) {
            throw Posix.failure("open", name, Posix.EISDIR);
          }
          continue;
        }
        if (part.equals("..")) {
          throw Posix.failure("open", name, EXDEV);
        }
        boolean last = i == parts.length - 1;
        // A directory on the way is opened as whatever it is (O_PATH | O_NOFOLLOW, no
        // O_DIRECTORY, which turns a link into ENOTDIR) and checked: a link is ELOOP, as openat2
        // says, so both ways report a symbolic link the same.
        int f = last ? flags | O_NOFOLLOW : O_PATH | O_NOFOLLOW;
        NativeFile next = openAt(at, part, name, f);
        if (current != null) {
          current.close();
        }
        current = next;
        at = next.fd();
        if (!last) {
          NativeFile.Stat st = next.stat();
          if (st.isSymbolicLink()) {
            throw Posix.failure("open", name, ELOOP);
          }
          if (!st.isDirectory()) {
            throw Posix.failure("open", name, ENOTDIR);
          }
        }
      }
    } catch (NativeIoException e) {
      if (current != null) {
        try {
          current.close();
        } catch (NativeIoException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    if (current == null) {
      throw Posix.failure("open", name, Posix.ENOENT);
    }
    return current;
  }

  /**
   * A path that opens the inode {@code file} refers to, whatever has been renamed or replaced since
   * ({@code /proc/self/fd/N}, a "magic link"); valid while {@code file} is open.
   */
  public static Path reopenPath(NativeFile file) {
    return Path.of("/proc/self/fd/" + file.fd());
  }

  private static NativeFile openat2(int dirFd, String relative, String name, int flags)
      throws NativeIoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cPath = arena.allocateFrom(relative);
      MemorySegment how = arena.allocate(OPEN_HOW_SIZE, 8);
      how.set(JAVA_LONG, 0, (long) (flags | Posix.O_CLOEXEC));
      how.set(JAVA_LONG, 8, 0L);
      how.set(JAVA_LONG, 16, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
      long fd =
          SystemCall.run(
              "openat2",
              name,
              s ->
                  Posix.syscall(
                      s,
                      SyscallNumbers.OPENAT2,
                      dirFd,
                      cPath.address(),
                      how.address(),
                      OPEN_HOW_SIZE));
      return new NativeFile((int) fd, name);
    }
  }

  private static NativeFile openAt(int dirFd, String relative, String name, int flags)
      throws NativeIoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cPath = arena.allocateFrom(relative);
      long fd =
          SystemCall.run(
              "openat",
              name,
              s ->
                  Posix.syscall(
                      s,
                      SyscallNumbers.OPENAT,
                      dirFd,
                      cPath.address(),
                      flags | Posix.O_CLOEXEC,
                      0));
      return new NativeFile((int) fd, name);
    }
  }
}
