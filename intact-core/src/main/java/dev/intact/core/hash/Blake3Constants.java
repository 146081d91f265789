package dev.intact.core.hash;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What the BLAKE3 specification fixes, shared by its scalar ({@link Blake3Hasher}), multi-lane
 * ({@link Blake3Lanes}) and Vector API ({@link Blake3Vectors}) code: sizes, domain flags, the IV.
 */
final class Blake3Constants {
  private Blake3Constants() {}

  static final int CHUNK = 1024;
  static final int BLOCK = 64;

  // Domain-separation flags.
  static final int CHUNK_START = 1;
  static final int CHUNK_END = 2;
  static final int PARENT = 4;
  static final int ROOT = 8;

  /** SHA-256's initial hash value; callers only read it. */
  static final int[] IV = {
    0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19
  };

  /** Message words are little-endian 32-bit integers, at any byte offset of a segment. */
  static final ValueLayout.OfInt LE_WORD =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Message words are little-endian 32-bit integers. */
  static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
}
