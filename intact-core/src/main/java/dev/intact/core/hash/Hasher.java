package dev.intact.core.hash;

import java.nio.ByteBuffer;

/**
 * The running state of one checksum computation. Not thread-safe.
 *
 * <p>The value never depends on how the input is split across {@code update} calls. {@link #finish}
 * and {@link #finishInto} return the value and reset the state, so a hasher can be reused for the
 * next input without allocating (the block-hash engine relies on that).
 */
public interface Hasher {

  Hasher update(byte[] input, int offset, int length);

  default Hasher update(byte[] input) {
    return update(input, 0, input.length);
  }

  /** Consumes the buffer's remaining bytes. */
  default Hasher update(ByteBuffer input) {
    if (input.hasArray()) {
      update(input.array(), input.arrayOffset() + input.position(), input.remaining());
      input.position(input.limit());
    } else {
      byte[] chunk = new byte[Math.min(input.remaining(), 64 * 1024)];
      while (input.hasRemaining()) {
        int n = Math.min(chunk.length, input.remaining());
        input.get(chunk, 0, n);
        update(chunk, 0, n);
      }
    }
    return this;
  }

  /**
   * Whether {@link #update(ByteBuffer)} reads a direct buffer where it is, without copying it
   * first: then a file's bytes are read into native memory for it.
   */
  default boolean hashesDirectBuffersInPlace() {
    return false;
  }

  /**
   * Whether a whole local file is better hashed from a mapping of the page cache than from reads:
   * only for a kernel that {@link #hashesDirectBuffersInPlace} and is itself slower than the
   * memory, so that the copy a read makes would take CPU from the hashing. A kernel faster than the
   * memory (xxh3, the CRCs) is better fed by reads: the kernel's copy out of the page cache outruns
   * the process's reads of mapped 4 KiB pages on the virtual machines measured (BENCHMARKS.md,
   * "Whole- file sums: reads again for xxh3 and the CRCs").
   */
  default boolean prefersMappedFiles() {
    return false;
  }

  /** Writes the value (digestLength bytes) into {@code out} at {@code offset} and resets. */
  void finishInto(byte[] out, int offset);

  /** Returns the value and resets. */
  HashCode finish();
}
