package dev.intact.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * BouncyCastle's BLAKE2b and BLAKE3, the library code the hand-written kernels replaced, on the
 * same 4 MiB buffer as {@link HashKernelBenchmark} (score in MB/s), so the gain is measured in the
 * same run rather than remembered.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// JMH itself (not Intact) reads field offsets through sun.misc.Unsafe; quiet its warning.
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class LibraryBaselineBenchmark {
  private static final int SIZE = 4 << 20;

  @Param({"bc-blake2b-256", "bc-blake3"})
  public String digest;

  private Digest library;
  private byte[] data;
  private byte[] out;

  @Setup(Level.Trial)
  public void setUp() {
    library =
        switch (digest) {
          case "bc-blake2b-256" -> new Blake2bDigest(256);
          case "bc-blake3" -> new Blake3Digest(256);
          default -> throw new IllegalArgumentException("unknown baseline " + digest);
        };
    out = new byte[library.getDigestSize()];
    data = new byte[SIZE];
    new SplittableRandom(42).nextBytes(data);
  }

  @Benchmark
  @OperationsPerInvocation(SIZE)
  public byte[] fourMiB() {
    library.update(data, 0, SIZE);
    library.doFinal(out, 0);
    return out;
  }
}
