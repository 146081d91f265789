package dev.intact.core.hash;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.intact.core.posix.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * XXH3-64 (seed 0) from the system's libxxhash (Debian's {@code libxxhash0}, which the {@code
 * xxhash} package's {@code xxhsum} is built from too), called through FFM. A page-cached file's
 * xxh3 sum is bound by the kernel, and this C kernel (AVX2/AVX-512 through the library's
 * dispatcher) hashes 6-8 times as fast as hash4j's pure-Java one on this machine's CPUs (measured
 * side by side in one JVM over 1 GiB of 1 MiB updates; 2-3 times with the library's SSE2 entry
 * point). XXH3's values are frozen since xxHash 0.8.0, so a library older than that is not used;
 * without the library {@link Xxh3_64} falls back to hash4j, with the same values.
 */
@SuppressWarnings("restricted") // FFM downcalls: the launcher passes --enable-native-access
final class NativeXxh3 {
  /** Versions are {@code major * 10000 + minor * 100 + patch}; XXH3 is stable from 0.8.0 on. */
  private static final int FIRST_STABLE_VERSION = 800;

  /**
   * Room for an {@code XXH3_state_t} (576 bytes in 0.8.x, 64-byte aligned). The state lives in
   * memory the garbage collector frees with the hasher, so nothing has to call {@code
   * XXH3_freeState}; the spare room keeps a later, bigger layout safe.
   */
  private static final long STATE_BYTES = 4096;

  private static final long STATE_ALIGNMENT = 64;

  /**
   * Largest piece hashed in one critical downcall: the call keeps a heap array in place, which
   * holds off the garbage collector of every thread for as long as it runs (~0.2 ms).
   */
  private static final int PIECE = 1 << 20;

  private NativeXxh3() {}

  /** Whether libxxhash is loaded and recent enough; if not, {@link Xxh3_64} uses hash4j. */
  static boolean available() {
    return Lib.LOADED;
  }

  /** A fresh running state; only when {@link #available()}. */
  static Hasher newHasher() {
    if (!available()) {
      throw new IllegalStateException("libxxhash.so.0 (Debian package libxxhash0) is not loaded");
    }
    return new NativeHasher();
  }

  /**
   * The library's functions, looked up on first use of xxh3 so other sums do not load it.
   *
   * <p>Linking a downcall shape spins and compiles a stub class, some 10 ms of CPU at start-up
   * each, which four shapes made a third of a short xxh3 sum's own work. So the functions are
   * called through the stub every system call already uses ({@link Posix#call}): their arguments
   * are pointers and a length, their results an integer. A 32-bit result ({@code XXH_errorcode},
   * the version) is the low half of the result register; callers narrow it with a cast, as a C
   * caller reads it. That relies on the x86-64 and AArch64 calling conventions, so only those two
   * architectures use the library; anywhere else xxh3 is hash4j's.
   */
  private static final class Lib {
    private static final boolean CALLING_CONVENTION_IGNORES_EXTRA_ARGUMENTS =
        switch (System.getProperty("os.arch")) {
          case "amd64", "x86_64", "aarch64" -> true;
          default -> false;
        };

    static final boolean LOADED;
    static final MemorySegment RESET;
    static final MemorySegment UPDATE;
    static final MemorySegment DIGEST;

    static {
      boolean loaded = false;
      MemorySegment reset = null;
      MemorySegment update = null;
      MemorySegment digest = null;
      try {
        if (!CALLING_CONVENTION_IGNORES_EXTRA_ARGUMENTS) {
          throw new IllegalArgumentException("not x86-64 or AArch64");
        }
        SymbolLookup lib = SymbolLookup.libraryLookup("libxxhash.so.0", Arena.global());
        MemorySegment version = lib.findOrThrow("XXH_versionNumber");
        if ((int) Posix.call(version, 0, 0, 0) >= FIRST_STABLE_VERSION) {
          reset = lib.findOrThrow("XXH3_64bits_reset");
          // Debian's build exports a dispatcher that picks the AVX2/AVX-512 kernel the CPU
          // has (as xxhsum does); the plain entry point is the build's baseline (SSE2).
          update =
              lib.find("XXH3_64bits_update_dispatch")
                  .or(() -> lib.find("XXH3_64bits_update"))
                  .orElseThrow();
          digest = lib.findOrThrow("XXH3_64bits_digest");
          loaded = true;
        }
      } catch (Throwable notThere) { // IllegalArgumentException, NoSuchElementException
        loaded = false;
      }
      LOADED = loaded;
      RESET = reset;
      UPDATE = update;
      DIGEST = digest;
    }

    private Lib() {}
  }

  /**
   * {@code XXH3_64bits_update} of a heap array where it lies: {@code critical(true)} passes the
   * array's address instead of a copy. Linked only when a heap array is hashed (small files,
   * streams); files are read into native memory, which goes through {@link Posix#call}.
   */
  private static final class HeapUpdate {
    static final MethodHandle HANDLE =
        Linker.nativeLinker()
            .downcallHandle(
                Lib.UPDATE,
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
                Linker.Option.critical(true));

    private HeapUpdate() {}
  }

  private static final class NativeHasher implements Hasher {
    private static final VarHandle BIG_ENDIAN_LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final MemorySegment state = Arena.ofAuto().allocate(STATE_BYTES, STATE_ALIGNMENT);

    NativeHasher() {
      reset();
    }

    @Override
    public Hasher update(byte[] input, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, input.length);
      update(MemorySegment.ofArray(input).asSlice(offset, length));
      return this;
    }

    /** A direct buffer (a file mapping, say) is hashed where it is. */
    @Override
    public Hasher update(ByteBuffer input) {
      if (!input.isDirect()) {
        return Hasher.super.update(input);
      }
      update(MemorySegment.ofBuffer(input));
      input.position(input.limit());
      return this;
    }

    @Override
    public boolean hashesDirectBuffersInPlace() {
      return true;
    }

    private void update(MemorySegment input) {
      if (input.isNative()) {
        check((int) call(Lib.UPDATE, state.address(), input.address(), input.byteSize()), "update");
        return;
      }
      long length = input.byteSize();
      for (long done = 0; done < length; ) {
        long n = Math.min(PIECE, length - done);
        int error;
        try {
          error = (int) (long) HeapUpdate.HANDLE.invokeExact(state, input.asSlice(done, n), n);
        } catch (Throwable t) {
          throw new IllegalStateException("XXH3_64bits_update failed", t);
        }
        check(error, "update");
        done += n;
      }
    }

    @Override
    public void finishInto(byte[] out, int offset) {
      BIG_ENDIAN_LONG.set(out, offset, digestAndReset());
    }

    @Override
    public HashCode finish() {
      return HashCode.ofLong(digestAndReset(), 8);
    }

    private long digestAndReset() {
      long value = call(Lib.DIGEST, state.address(), 0, 0);
      reset();
      return value;
    }

    private void reset() {
      check((int) call(Lib.RESET, state.address(), 0, 0), "reset");
    }

    /** {@code XXH3_64bits_<name>(a, b, c)}: its raw 64-bit result. */
    private static long call(MemorySegment function, long a, long b, long c) {
      try {
        return Posix.call(function, a, b, c);
      } catch (Throwable t) {
        throw new IllegalStateException("libxxhash's call failed", t);
      }
    }

    /** XXH_errorcode: 0 is XXH_OK; the library fails only on a null state or input. */
    private static void check(int error, String name) {
      if (error != 0) {
        throw new IllegalStateException("XXH3_64bits_" + name + " returned XXH_ERROR");
      }
    }
  }
}
