package dev.intact.core.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.Hasher;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.ForwardingImage;
import dev.intact.core.image.LocalImage;
import dev.intact.core.posix.NativeFile;
import dev.intact.core.posix.Posix;
import dev.intact.core.testing.ExternalTool;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole-stream sums of local files hashed in place from a mapping of the page cache (BLAKE3's; xxh3
 * and the CRCs are read): the values are the peers' across window boundaries and holes, and a file
 * that another process wants to change is never read through a mapping (a truncated mapped page
 * would kill the JVM with SIGBUS).
 */
class MappedWholeStreamTest {
  private static final int MIB = 1 << 20;
  private static final long WINDOW = MappedWholeStream.ALIGNMENT; // 2 MiB: many windows
  private static final ChecksumEngine ENGINE = ChecksumEngine.withThreads(2).withMapWindow(WINDOW);
  private static final HashAlgorithm XXH3 = Algorithms.byName("xxh3-64");
  private static final HashAlgorithm BLAKE3 = Algorithms.byName("blake3");
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Pattern FIELDS = Pattern.compile("\\s+");

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {MIB + 1, 2L * MIB - 1, 2L * MIB, 2L * MIB + 1, 6L * MIB + 12_345})
  void blake3OfMappedWindowsIsWhatB3sumPrints(long size) throws IOException {
    Path file = randomFile("data", size, 7);
    assertThat(sum(file, "blake3")).isEqualTo(peer("b3sum", "b3sum", "--no-names", file));
  }

  @Test
  void onlyBlake3IsHashedFromAMappingXxh3AndTheCrcsAreRead() throws IOException {
    Path file = randomFile("data", 6L * MIB, 13);
    assertThat(mappedDuringTheSum(file, "blake3")).as("blake3").isTrue();
    for (String algorithm : new String[] {"xxh3-64", "crc32c", "crc32"}) {
      assertThat(mappedDuringTheSum(file, algorithm)).as(algorithm).isFalse();
    }
    assertThat(sum(file, "xxh3-64")).isEqualTo(peer("xxhsum", "xxhash", "-H3", file));
    assertThat(sum(file, "crc32c")).isEqualTo(peer("rhash", "rhash", "--crc32c", file));
  }

  @Test
  void aFileNobodyWritesIsHashedWholeThroughTheMapping() throws IOException {
    Path file = randomFile("data", 5L * MIB + 3, 8);
    Hasher mapped = XXH3.newHasher();
    try (LocalImage image = LocalImage.openRead(file)) {
      long reached =
          MappedWholeStream.hash(image, 0, image.size(), WINDOW, mapped, ProgressListener.NONE);
      assertThat(reached).isEqualTo(image.size());
    }
    assertThat(mapped.finish().toHex()).isEqualTo(peer("xxhsum", "xxhash", "-H3", file));
    assertThat(mappingsOf(file)).as("no window left mapped").isEmpty();
  }

  @Test
  void holesAndOffsetsPastTwoGibibytesGiveWhatReadsGive() throws IOException {
    Path file = dir.resolve("sparse");
    long size = (2L << 30) + 5L * MIB + 777;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
      writeRandom(f, 100L * MIB + 3, MIB, 1);
      writeRandom(f, (2L << 30) - MIB + 5, 3 * MIB, 2); // across 2^31
      writeRandom(f, size - 4097, 4097, 3); // to the end
    }
    assertThat(sum(file, "blake3")).isEqualTo(sumWithReads(file, "blake3"));
  }

  @Test
  void aRangeFromAndToTheMiddleOfWindowsGivesWhatReadsGive() throws IOException {
    Path file = randomFile("data", 12L * MIB, 12);
    ByteRange range = new ByteRange(3L * MIB + 5, 9L * MIB - 7);
    WholeStream type = new WholeStream(BLAKE3);
    try (LocalImage image = LocalImage.openRead(file)) {
      assertThat(ENGINE.compute(image, type, range, ProgressListener.NONE).value())
          .isEqualTo(
              ENGINE
                  .compute(new ForwardingImage(image), type, range, ProgressListener.NONE)
                  .value());
    }
  }

  @Test
  @SuppressWarnings("try") // the writer is there only to be open
  void aFileOpenForWritingIsReadNotMapped() throws IOException {
    Path file = randomFile("data", 5L * MIB, 9);
    try (FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE);
        LocalImage image = LocalImage.openRead(file)) {
      Hasher hasher = XXH3.newHasher();
      assertThat(MappedWholeStream.hash(image, 0, image.size(), WINDOW, hasher, n -> {}))
          .as("nothing mapped: the kernel grants no lease while a writer has the file open")
          .isZero();
      assertThat(sum(file, "blake3")).isEqualTo(peer("b3sum", "b3sum", "--no-names", file));
    }
  }

  @Test
  void theLeaseIsGivenBackWhenTheSumEnds() throws IOException {
    Path file = randomFile("data", 5L * MIB, 10);
    sum(file, "blake3");
    // O_NONBLOCK: an open for writing that would wait for a lease fails at once with EAGAIN.
    try (NativeFile writer = Posix.open(file, Posix.O_WRONLY | 0x800, 0)) {
      assertThat(writer.fd()).isNotNegative();
    }
  }

  /**
   * A truncate while the file is mapped waits for the lease; the sum sees the lease breaking, drops
   * the mapping, lets the truncate go on and reads the rest, which ends early: the read's one-line
   * EOF error, not a SIGBUS that would end the JVM.
   */
  @Test
  void aFileTruncatedWhileMappedEndsInAnEofErrorNotASignal() throws Exception {
    long size = 10L * MIB + 333;
    Path file = randomFile("data", size, 11);
    CompletableFuture<Void> truncated = new CompletableFuture<>();
    ProgressListener truncateAfterTheFirstWindow =
        new ProgressListener() {
          private int calls;

          @Override
          public void advance(long bytes) {
            calls++;
            if (calls == 1) {
              Thread.ofPlatform().start(() -> truncate(file, 3L * MIB, truncated));
              awaitLeaseBreaking(file);
              assertThat(truncated).as("the truncate waits for the lease").isNotDone();
            } else if (calls == 2) {
              truncated.orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
            }
          }
        };
    try (LocalImage image = LocalImage.openRead(file)) {
      assertThatThrownBy(
              () ->
                  ENGINE.compute(
                      image,
                      new WholeStream(BLAKE3),
                      ByteRange.whole(size),
                      truncateAfterTheFirstWindow))
          .isInstanceOf(EOFException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("ends at");
    }
    assertThat(truncated).isCompleted();
    assertThat(Files.size(file)).isEqualTo(3L * MIB);
    assertThat(mappingsOf(file))
        .as("the window populated ahead is unmapped too when the sum stops early")
        .isEmpty();
  }

  /** The lines of {@code /proc/self/maps} that map {@code file}. */
  private static List<String> mappingsOf(Path file) throws IOException {
    String name = file.toRealPath().toString();
    return Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .filter(line -> line.endsWith(" " + name))
        .toList();
  }

  private static void truncate(Path file, long length, CompletableFuture<Void> done) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) { // waits for the lease
      f.setLength(length);
      done.complete(null);
    } catch (IOException | RuntimeException e) {
      done.completeExceptionally(e);
    }
  }

  /** Waits until {@code /proc/locks} shows a lease on the file being broken. */
  private static void awaitLeaseBreaking(Path file) {
    Instant deadline = Instant.now().plus(DEADLINE);
    try {
      long inode = (Long) Files.getAttribute(file, "unix:ino");
      while (Instant.now().isBefore(deadline)) {
        for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
          // "1: LEASE  BREAKING  READ  4242 fd:01:1234 0 EOF"
          String[] f = FIELDS.split(line.trim(), -1);
          if (f.length >= 6
              && f[1].equals("LEASE")
              && f[2].equals("BREAKING")
              && f[5].endsWith(":" + inode)) {
            return;
          }
        }
        Thread.onSpinWait();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new AssertionError("no lease on " + file + " was being broken within " + DEADLINE);
  }

  private String sum(Path file, String algorithm) throws IOException {
    try (LocalImage image = LocalImage.openRead(file)) {
      return ENGINE
          .compute(
              image,
              new WholeStream(Algorithms.byName(algorithm)),
              ByteRange.whole(image.size()),
              ProgressListener.NONE)
          .value()
          .toHex();
    }
  }

  /** Whether the file was mapped into this process when the sum reported progress. */
  private boolean mappedDuringTheSum(Path file, String algorithm) throws IOException {
    boolean[] mapped = {false};
    try (LocalImage image = LocalImage.openRead(file)) {
      ENGINE.compute(
          image,
          new WholeStream(Algorithms.byName(algorithm)),
          ByteRange.whole(image.size()),
          bytes -> {
            try {
              mapped[0] |= !mappingsOf(file).isEmpty();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    }
    return mapped[0];
  }

  /** The same sum through the reading path: a wrapped image is not mapped. */
  private String sumWithReads(Path file, String algorithm) throws IOException {
    try (LocalImage image = LocalImage.openRead(file)) {
      return ENGINE
          .compute(
              new ForwardingImage(image),
              new WholeStream(Algorithms.byName(algorithm)),
              ByteRange.whole(image.size()),
              ProgressListener.NONE)
          .value()
          .toHex();
    }
  }

  private static String peer(String tool, String pkg, String option, Path file) {
    String line =
        ExternalTool.of(tool, pkg).run(option, file.toString()).lines().findFirst().orElseThrow();
    // "XXH3 (FILE) = HEX" from xxhsum -H3, "HEX  FILE" from rhash, "HEX" from b3sum --no-names
    return line.contains(" = ")
        ? line.substring(line.lastIndexOf(' ') + 1)
        : FIELDS.split(line.trim(), 2)[0];
  }

  private Path randomFile(String name, long size, long seed) throws IOException {
    Path file = dir.resolve(name);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      writeRandom(f, 0, size, seed);
    }
    return file;
  }

  private static void writeRandom(RandomAccessFile f, long at, long length, long seed)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] chunk = new byte[MIB];
    f.seek(at);
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(chunk.length, length - done);
      random.nextBytes(chunk);
      f.write(chunk, 0, n);
      done += n;
    }
  }
}
