package dev.intact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.ExternalTool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every kind of input (regular, sparse, empty, fifo, /proc file, character device, standard
 * input) {@code intact sum -a ALG} prints what the coreutils/peer tool prints for the same input. A
 * fifo, a /proc file or a device has no size the kernel knows: it is read as a stream to its end,
 * never summed as empty. Pipes, {@code /dev/stdin} and {@code <(...)} go through the real launcher
 * in {@link LauncherIT}.
 */
class SumInputKindsTest {
  private static final ExternalTool MKFIFO = ExternalTool.of("mkfifo", "coreutils");

  /** intact's algorithm name, and the peer tool that computes it. */
  record Peer(String algorithm, ExternalTool tool) {
    @Override
    public String toString() {
      return algorithm;
    }
  }

  private static final List<Peer> PEERS =
      List.of(
          new Peer("sha256", ExternalTool.of("sha256sum", "coreutils")),
          new Peer("md5", ExternalTool.of("md5sum", "coreutils")),
          new Peer("sha1", ExternalTool.of("sha1sum", "coreutils")),
          new Peer("blake2b-512", ExternalTool.of("b2sum", "coreutils")),
          new Peer("blake3", ExternalTool.of("b3sum", "b3sum")));

  /** Sizes around the block and buffer edges, from a fixed seed. */
  private static final long[] SIZES = {0, 1, 65_535, 65_537, (1 << 20) + 3};

  @TempDir Path dir;

  static Stream<Arguments> peersAndSizes() {
    List<Arguments> all = new ArrayList<>();
    for (Peer p : PEERS) {
      for (long size : SIZES) {
        all.add(Arguments.of(p, size));
      }
    }
    return all.stream();
  }

  static Stream<Peer> peers() {
    return PEERS.stream();
  }

  private byte[] data(long size) {
    byte[] b = new byte[(int) size];
    new Random(size).nextBytes(b);
    return b;
  }

  /** The peer's value for {@code data}: it reads the bytes from a regular file. */
  private String peerValue(Peer peer, byte[] data) throws IOException {
    Path f = Files.write(dir.resolve("peer-input"), data);
    return peer.tool().run(f.toString()).split(" ", 2)[0];
  }

  private static String value(IntactRun.Result r) {
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    return r.out().split(" ", 2)[0];
  }

  @ParameterizedTest(name = "{0}, {1} bytes")
  @MethodSource("peersAndSizes")
  void regularFileStdinAndFifoAgreeWithThePeer(Peer peer, long size) throws Exception {
    byte[] data = data(size);
    String expected = peerValue(peer, data);
    Path file = Files.write(dir.resolve("file"), data);
    assertThat(value(IntactRun.run("sum", "-a", peer.algorithm(), file.toString())))
        .as("regular file")
        .isEqualTo(expected);
    assertThat(value(IntactRun.runWithStdin(data, "sum", "-a", peer.algorithm(), "-")))
        .as("standard input")
        .isEqualTo(expected);
    assertThat(value(sumThroughFifo(peer.algorithm(), data))).as("fifo").isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("peers")
  void sparseFileAgreesWithThePeer(Peer peer) throws Exception {
    Path sparse = dir.resolve("sparse");
    try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
      f.setLength(8L << 20);
      f.seek(3L << 20);
      f.write(data(70_000));
    }
    String expected = peer.tool().run(sparse.toString()).split(" ", 2)[0];
    assertThat(value(IntactRun.run("sum", "-a", peer.algorithm(), sparse.toString())))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("peers")
  void procFilesAndCharacterDevicesAreReadToTheirEnd(Peer peer) {
    // /proc/version reports size 0 but holds a line; /dev/null is a character device.
    for (String input : List.of("/proc/version", "/dev/null")) {
      String expected = peer.tool().run(input).split(" ", 2)[0];
      IntactRun.Result ours = IntactRun.run("sum", "-a", peer.algorithm(), input);
      assertThat(value(ours)).as(input).isEqualTo(expected);
      assertThat(ours.out()).endsWith("  " + input + "\n");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("peers")
  void aProcFileIsNotTheEmptyValue(Peer peer) {
    String empty = value(IntactRun.runWithStdin(new byte[0], "sum", "-a", peer.algorithm()));
    assertThat(value(IntactRun.run("sum", "-a", peer.algorithm(), "/proc/version")))
        .isNotEqualTo(empty);
  }

  static Stream<Long> sizes() {
    return java.util.Arrays.stream(SIZES).boxed();
  }

  @ParameterizedTest(name = "{0} bytes")
  @MethodSource("sizes")
  void blockHashListsOfAStreamEqualThoseOfTheFilePaddedToASector(long size) throws Exception {
    // blksum FILE and imageio's client.checksum see a raw file as qemu presents it, padded with
    // zeros to a multiple of 512; a stream is hashed as it comes (SumPeerEqualityTest).
    byte[] data = data(size);
    byte[] padded = java.util.Arrays.copyOf(data, Math.toIntExact(Math.ceilDiv(size, 512) * 512));
    Path file = Files.write(dir.resolve("file"), data);
    for (String alg : List.of("blkhash", "imageio")) {
      String fromFile = value(IntactRun.run("sum", "-a", alg, file.toString()));
      assertThat(value(sumThroughFifo(alg, padded))).as(alg + " fifo").isEqualTo(fromFile);
      assertThat(value(IntactRun.runWithStdin(padded, "sum", "-a", alg)))
          .as(alg + " stdin")
          .isEqualTo(fromFile);
    }
  }

  @org.junit.jupiter.api.Test
  void aRangeOfAStreamIsRefusedNamingIt() throws Exception {
    IntactRun.Result r = IntactRun.run("sum", "-a", "sha256", "-r", "0:1", "/proc/version");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("intact: /proc/version: --range needs a file or device, not a stream\n");
  }

  /** Sums {@code data} written into a fifo by another thread while intact reads it. */
  private IntactRun.Result sumThroughFifo(String algorithm, byte[] data) throws Exception {
    Path fifo = dir.resolve("fifo-" + System.nanoTime());
    MKFIFO.run(fifo.toString());
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try {
                Files.write(fifo, data); // blocks until intact opens the fifo for reading
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    IntactRun.Result r = IntactRun.run("sum", "-a", algorithm, fifo.toString());
    writer.join();
    assertThat(r.out()).endsWith("  " + fifo + "\n");
    return r;
  }
}
