package dev.intact.core.posix;

import java.lang.foreign.MemorySegment;

/**
 * The CPU priority (nice value) of the calling platform thread. On Linux a nice value belongs to a
 * thread, not to its process ({@code setpriority(PRIO_PROCESS, tid, ...)}), and threads the thread
 * starts inherit it: a daemon's background work (checksum jobs) runs niced, with every hashing
 * thread it starts, and takes only the CPU its requests leave over.
 */
public final class ThreadPriority {
  private static final long PRIO_PROCESS = 0;

  private ThreadPriority() {}

  /**
   * Raises the calling thread's nice value to {@code nice} (a lower priority; never raises the
   * priority, which needs privileges).
   *
   * @throws IllegalStateException on a virtual thread: its carrier, which runs other virtual
   *     threads too, would keep the value
   * @throws NativeIoException if the kernel refuses
   */
  public static void lower(int nice) throws NativeIoException {
    if (Thread.currentThread().isVirtual()) {
      throw new IllegalStateException("a virtual thread has no priority of its own to lower");
    }
    if (nice() >= nice) {
      return;
    }
    MemorySegment state = Posix.callState();
    long tid = call(state, SyscallNumbers.GETTID, 0, 0);
    if (call(state, SyscallNumbers.SETPRIORITY, tid, nice) < 0) {
      throw Posix.failure("setpriority", "thread " + tid, Posix.errno(state));
    }
  }

  /** The calling thread's nice value, from -20 (most CPU) to 19 (least). */
  public static int nice() throws NativeIoException {
    MemorySegment state = Posix.callState();
    long tid = call(state, SyscallNumbers.GETTID, 0, 0);
    // The raw system call answers 20 - nice, so that no valid answer is negative.
    long raw = call(state, SyscallNumbers.GETPRIORITY, tid, 0);
    if (raw < 0) {
      throw Posix.failure("getpriority", "thread " + tid, Posix.errno(state));
    }
    return (int) (20 - raw);
  }

  /** {@code syscall(number, PRIO_PROCESS, who, value)}; gettid ignores its arguments. */
  private static long call(MemorySegment state, long number, long who, long value) {
    try {
      return Posix.syscall(state, number, PRIO_PROCESS, who, value, 0);
    } catch (Throwable t) {
      throw Posix.rethrow(t);
    }
  }
}
