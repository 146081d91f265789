package dev.intact.core.posix;

import static dev.intact.core.posix.Posix.EINTR;

import java.lang.foreign.MemorySegment;

/**
 * One downcall as every descriptor call makes it: retried while a signal interrupts it (EINTR), its
 * failure a {@link NativeIoException} naming the call and the file, and the {@code Throwable} that
 * {@code invokeExact} declares narrowed to what a downcall can really throw.
 */
@FunctionalInterface
interface SystemCall {

  /** Makes the call once with the thread's errno capture segment; negative means failed. */
  long invoke(MemorySegment callState) throws Throwable;

  /** Makes {@code call} until it is not interrupted and returns its non-negative result. */
  static long run(String operation, String path, SystemCall call) throws NativeIoException {
    MemorySegment state = Posix.callState();
    long result;
    try {
      do {
        result = call.invoke(state);
      } while (result < 0 && Posix.errno(state) == EINTR);
    } catch (Throwable t) {
      throw Posix.rethrow(t);
    }
    if (result < 0) {
      throw Posix.failure(operation, path, Posix.errno(state));
    }
    return result;
  }
}
