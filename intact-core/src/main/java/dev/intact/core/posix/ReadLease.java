package dev.intact.core.posix;

import static dev.intact.core.posix.Posix.syscall;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A read lease on an open file ({@code fcntl F_SETLEASE F_RDLCK}): while it is held, another
 * process that opens the file for writing or truncates it waits in the kernel until the holder lets
 * go, for at most {@code /proc/sys/fs/lease-break-time} seconds. That makes reading a {@link
 * FileMapping} safe from SIGBUS: check {@link #breaking} before reading each piece of it, and stop
 * and {@link #close} once it says so.
 *
 * <p>The kernel grants it only on a descriptor open read-only, to the file's owner or a process
 * with CAP_LEASE, and only while nobody has the file open for writing; {@link #tryTake} says when
 * it does not.
 */
public final class ReadLease implements AutoCloseable {
  private static final int F_SETSIG = 10;
  private static final int F_SETLEASE = 1024;
  private static final int F_GETLEASE = 1025;
  private static final int F_RDLCK = 0;
  private static final int F_UNLCK = 2;

  /**
   * The kernel tells a holder that its lease is being broken with a signal, SIGIO unless asked
   * otherwise, whose default action ends the process (the JVM does not handle it). SIGURG's default
   * action is to ignore it; the holder polls {@link #breaking} instead.
   */
  private static final int SIGURG = 23;

  /**
   * A holder must see a break and let go before the kernel breaks the lease itself; it checks
   * between pieces that take milliseconds, so anything from a second up leaves ample time.
   */
  private static final long MIN_BREAK_SECONDS = 1;

  private static final Path BREAK_TIME = Path.of("/proc/sys/fs/lease-break-time");

  private final NativeFile file;
  private boolean released;

  private ReadLease(NativeFile file) {
    this.file = file;
  }

  /**
   * A read lease on {@code file}, or empty if the kernel does not grant one: the file is open for
   * writing somewhere, this process does not own it, its file system has no leases (NFS, FUSE),
   * leases are disabled, or the lease break time is too short to rely on.
   */
  public static Optional<ReadLease> tryTake(NativeFile file) {
    if (!breakTimeIsLongEnough()) {
      return Optional.empty();
    }
    try {
      fcntl(file, F_SETSIG, SIGURG, "fcntl(F_SETSIG)");
      fcntl(file, F_SETLEASE, F_RDLCK, "fcntl(F_SETLEASE)");
      return Optional.of(new ReadLease(file));
    } catch (NativeIoException notGranted) { // EAGAIN, EACCES, EINVAL, ENOLCK, ...
      return Optional.empty();
    }
  }

  private static boolean breakTimeIsLongEnough() {
    try {
      return Long.parseLong(Files.readString(BREAK_TIME).strip()) >= MIN_BREAK_SECONDS;
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  /**
   * Whether another process is waiting for the lease to go (an open for writing, a truncate): the
   * holder must stop reading its mappings of the file, unmap them and {@link #close} the lease.
   */
  public boolean breaking() throws NativeIoException {
    return fcntl(file, F_GETLEASE, 0, "fcntl(F_GETLEASE)") != F_RDLCK;
  }

  /** Gives the lease back; a process waiting for it goes on. */
  @Override
  public void close() throws NativeIoException {
    if (released) {
      return;
    }
    released = true;
    fcntl(file, F_SETLEASE, F_UNLCK, "fcntl(F_SETLEASE, F_UNLCK)");
  }

  private static long fcntl(NativeFile file, int command, int argument, String name)
      throws NativeIoException {
    return SystemCall.run(
        name, file.path(), s -> syscall(s, SyscallNumbers.FCNTL, file.fd(), command, argument, 0));
  }
}
