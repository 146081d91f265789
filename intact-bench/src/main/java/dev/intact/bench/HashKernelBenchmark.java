package dev.intact.bench;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.Hasher;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Single-thread throughput of each whole-stream kernel on a random heap buffer, through Intact's
 * own {@link Hasher} API (what the engine calls). One operation is one byte and the time unit a
 * microsecond, so the score reads directly as MB/s (10^6 bytes per second).
 *
 * <pre>
 * java --sun-misc-unsafe-memory-access=allow -jar intact-bench/target/benchmarks.jar \
 *     HashKernelBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * java -jar intact-bench/target/benchmarks.jar HashKernelBenchmark -p algorithm=blake2b-256
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// JMH itself (not Intact) reads field offsets through sun.misc.Unsafe; quiet its warning. The
// Vector API module: BLAKE3 is measured with the kernel `intact sum -a blake3` runs (bin/intact
// adds the module for it).
@Fork(
    value = 1,
    jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--add-modules=jdk.incubator.vector"})
public class HashKernelBenchmark {
  private static final int MIB = 1 << 20;

  @Param({
    "adler32",
    "crc32",
    "crc32c",
    "crc64",
    "crc64-xz",
    "cksum",
    "md5",
    "sha1",
    "sha256",
    "sha512",
    "sha3-256",
    "blake2b-256",
    "blake2b-512",
    "blake3",
    "xxh64",
    "xxh3-64",
    "xxh3-128"
  })
  public String algorithm;

  private Hasher hasher;
  private byte[] data;
  private byte[] digest;
  private ByteBuffer direct;

  @Setup(Level.Trial)
  public void setUp() {
    hasher = Algorithms.byName(algorithm).newHasher();
    digest = new byte[Algorithms.byName(algorithm).digestLength()];
    data = new byte[4 * MIB];
    new SplittableRandom(42).nextBytes(data);
    direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
  }

  @Benchmark
  @OperationsPerInvocation(MIB)
  public byte[] oneMiB() {
    hasher.update(data, 0, MIB);
    hasher.finishInto(digest, 0);
    return digest;
  }

  @Benchmark
  @OperationsPerInvocation(4 * MIB)
  public byte[] fourMiB() {
    hasher.update(data, 0, 4 * MIB);
    hasher.finishInto(digest, 0);
    return digest;
  }

  /**
   * 4 MiB from native memory, as a mapped file's window is handed over (to the kernels that {@link
   * Hasher#prefersMappedFiles}).
   */
  @Benchmark
  @OperationsPerInvocation(4 * MIB)
  public byte[] fourMiBDirect() {
    hasher.update(direct.duplicate());
    hasher.finishInto(digest, 0);
    return digest;
  }

  /** 4 MiB as 64 separate 64 KiB values, blkhash's default block: adds the per-value cost. */
  @Benchmark
  @OperationsPerInvocation(4 * MIB)
  public byte[] blocksOf64KiB() {
    for (int offset = 0; offset < 4 * MIB; offset += 64 * 1024) {
      hasher.update(data, offset, 64 * 1024);
      hasher.finishInto(digest, 0);
    }
    return digest;
  }
}
