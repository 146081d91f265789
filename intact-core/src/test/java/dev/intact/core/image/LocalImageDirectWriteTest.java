package dev.intact.core.image;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalImage#writeDirect} and the native {@link LocalImage#readDirect(long, MemorySegment)}:
 * every byte lands where it belongs whatever the alignment of position, length and memory, and the
 * aligned part really bypasses the page cache. The files live under {@code target/}, on the build's
 * disk: a tmpfs {@code /tmp} keeps everything in the page cache by design.
 */
class LocalImageDirectWriteTest {
  private static final int SIZE = 3 << 20;

  private Path dir;

  @BeforeEach
  void makeDir() throws IOException {
    Files.createDirectories(Path.of("target"));
    dir = Files.createTempDirectory(Path.of("target"), "direct-write");
  }

  @AfterEach
  void removeDir() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** A new file of {@code model}'s length, filled by {@code random}, as {@code model} is. */
  private Path randomFile(String name, Random random, byte[] model) throws IOException {
    random.nextBytes(model);
    return Files.write(dir.resolve(name), model);
  }

  @Test
  void writesAtAnyAlignmentLandWhereTheyBelongAndReadBackDirectly() throws IOException {
    Random random = new Random(16);
    byte[] model = new byte[SIZE];
    Path file = randomFile("dest.img", random, model);
    long[][] writes = { // position, length, memory offset from a 4096-aligned address
      {0, 4096, 0},
      {4096, (1 << 20) + 123, 0},
      {1000, 5000, 0},
      {8191, 3, 0},
      {12288, 65536, 7},
      {SIZE - 4096 - 17, 4096 + 17, 0},
      {2 << 20, 8192, 4096}
    };
    try (Arena arena = Arena.ofConfined();
        LocalImage image = LocalImage.openWrite(file)) {
      MemorySegment memory = arena.allocate(2 << 20, 4096);
      for (long[] w : writes) {
        byte[] data = new byte[(int) w[1]];
        random.nextBytes(data);
        MemorySegment src = memory.asSlice(w[2], w[1]);
        MemorySegment.copy(data, 0, src, JAVA_BYTE, 0, data.length);
        image.writeDirect(w[0], src);
        System.arraycopy(data, 0, model, (int) w[0], data.length);
      }
      image.flush();

      assertThat(Files.readAllBytes(file)).isEqualTo(model);
      for (long[] w : writes) {
        MemorySegment dst = memory.asSlice(w[2], w[1]);
        dst.fill((byte) 0x5a);
        image.readDirect(w[0], dst);
        byte[] want = new byte[(int) w[1]];
        System.arraycopy(model, (int) w[0], want, 0, want.length);
        assertThat(dst.toArray(JAVA_BYTE)).as("read-back at %d", w[0]).isEqualTo(want);
      }
    }
  }

  @Test
  void anAlignedWriteLeavesNothingInThePageCache() throws IOException, InterruptedException {
    Path file = dir.resolve("cold.img");
    try (Arena arena = Arena.ofConfined();
        LocalImage image = LocalImage.create(file, 0)) {
      MemorySegment src = arena.allocate(4 << 20, 4096);
      src.fill((byte) 0xa5);
      image.writeDirect(0, src);
      image.flush();
      assertThat(residentBytes(file)).isZero();

      // The same bytes through the page cache stay there: what the check above would have seen.
      image.write(0, src.toArray(JAVA_BYTE), 0, (int) src.byteSize());
      assertThat(residentBytes(file)).isEqualTo(src.byteSize());
    }
    byte[] back = Files.readAllBytes(file);
    assertThat(back).hasSize(4 << 20).containsOnly((byte) 0xa5);
  }

  @Test
  void arrayWritesAtAnyOffsetAndLengthLandWhereTheyBelong() throws IOException {
    Random random = new Random(17);
    byte[] model = new byte[SIZE];
    Path file = randomFile("array.img", random, model);
    long[][] writes = { // position, length, offset in the source array
      {0, 4096, 0},
      {4095, (2 << 20) + 3, 1},
      {1000, 5000, 77},
      {SIZE - 1, 1, 0},
      {8192, 1 << 20, 4096}
    };
    try (LocalImage image = LocalImage.openWrite(file)) {
      for (long[] w : writes) {
        byte[] src = new byte[(int) (w[1] + w[2] + 5)];
        random.nextBytes(src);
        image.writeDirect(w[0], src, (int) w[2], (int) w[1]);
        System.arraycopy(src, (int) w[2], model, (int) w[0], (int) w[1]);
      }
      image.flush();
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(model);
  }

  @Test
  void anAlignedArrayWriteLeavesNothingInThePageCache() throws IOException, InterruptedException {
    Path file = dir.resolve("cold-array.img");
    byte[] src = new byte[3 << 20];
    new Random(18).nextBytes(src);
    try (LocalImage image = LocalImage.create(file, 0)) {
      image.writeDirect(0, src, 0, src.length);
      image.flush();
      assertThat(residentBytes(file)).isZero();
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(src);
  }

  /** Bytes of {@code file} in the page cache, by util-linux's fincore. */
  private static long residentBytes(Path file) throws IOException, InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder(
                  "fincore", "--bytes", "--noheadings", "--output", "RES", file.toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new IOException("fincore is missing: install the Debian package util-linux", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("fincore said: %s", out).isZero();
    return Long.parseLong(out);
  }
}
