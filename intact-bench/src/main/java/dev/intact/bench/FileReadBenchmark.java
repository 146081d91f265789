package dev.intact.bench;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.Hasher;
import dev.intact.core.image.LocalImage;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How a page-cached file's bytes best reach a fast kernel (issue 16: crc32c and xxh3 outrun the
 * page cache, so moving bytes is the cost). One operation hashes the whole file on one thread
 * through Intact's {@link Hasher}; the score is seconds per file, so compare the three ways of the
 * same run:
 *
 * <ul>
 *   <li>{@code preadHeap}: what the sum engine does, {@code pread} straight into a heap array (one
 *       kernel copy, as {@code xxhsum} and {@code rhash} do with {@code read});
 *   <li>{@code preadNative}: {@code pread} into native memory, hashed as a direct buffer;
 *   <li>{@code mmap}: the file mapped and hashed where it lies (no copy, but a page fault per
 *       mapped page run).
 * </ul>
 *
 * <pre>
 * java --sun-misc-unsafe-memory-access=allow -jar intact-bench/target/benchmarks.jar \
 *     FileReadBenchmark -f 1 -wi 2 -i 3 -p sizeMiB=256
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// JMH itself (not Intact) reads field offsets through sun.misc.Unsafe; quiet its warning.
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class FileReadBenchmark {
  private static final int CHUNK = 1 << 20; // the engine's read size

  @Param({"crc32c", "xxh3-64"})
  public String algorithm;

  @Param({"256"})
  public int sizeMiB;

  private Path file;
  private LocalImage image;
  private Hasher hasher;
  private byte[] heap;
  private MemorySegment nativeChunk;
  private Arena arena;
  private byte[] digest;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = Files.createTempFile("intact-read-bench", ".bin");
    byte[] piece = new byte[CHUNK];
    SplittableRandom random = new SplittableRandom(42);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < sizeMiB; i++) {
        random.nextBytes(piece);
        out.write(piece);
      }
    }
    image = LocalImage.openRead(file);
    hasher = Algorithms.byName(algorithm).newHasher();
    digest = new byte[Algorithms.byName(algorithm).digestLength()];
    heap = new byte[CHUNK];
    arena = Arena.ofConfined();
    nativeChunk = arena.allocate(CHUNK, 4096);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    image.close();
    arena.close();
    Files.deleteIfExists(file);
  }

  @Benchmark
  public byte[] preadHeap() throws IOException {
    long size = image.size();
    for (long at = 0; at < size; at += CHUNK) {
      int n = (int) Math.min(CHUNK, size - at);
      image.readFully(at, heap, 0, n);
      hasher.update(heap, 0, n);
    }
    hasher.finishInto(digest, 0);
    return digest;
  }

  @Benchmark
  public byte[] preadNative() throws IOException {
    long size = image.size();
    for (long at = 0; at < size; at += CHUNK) {
      MemorySegment slice = nativeChunk.asSlice(0, Math.min(CHUNK, size - at));
      image.readFully(at, slice);
      hasher.update(slice.asByteBuffer());
    }
    hasher.finishInto(digest, 0);
    return digest;
  }

  @Benchmark
  public byte[] mmap() throws IOException {
    try (FileChannel channel = FileChannel.open(file);
        Arena mapping = Arena.ofConfined()) {
      long size = channel.size();
      MemorySegment all = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, mapping);
      for (long at = 0; at < size; at += CHUNK) {
        hasher.update(all.asSlice(at, Math.min(CHUNK, size - at)).asByteBuffer());
      }
    }
    hasher.finishInto(digest, 0);
    return digest;
  }
}
