package dev.intact.core.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import dev.intact.core.image.LocalImage;
import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.nbd.client.NbdReadException;
import dev.intact.core.testing.QemuNbdLeaks;
import dev.intact.core.testing.SparseImage;
import dev.intact.core.testing.Tools;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads of a qcow2 over several connections to its qemu-nbd (multi-conn) give the same bytes and
 * checksums as one connection and as the raw image; a qemu-nbd dying under a read is a one-line
 * error naming the image and the offset; and nothing (process, socket, reader thread) outlives it.
 */
class QemuNbdConnectionsTest {
  @TempDir Path dir;

  static final List<ChecksumType> TYPES =
      List.of(
          ChecksumType.parse("blkhash", OptionalLong.empty()),
          ChecksumType.parse("blkhash", OptionalLong.of(4096)),
          ChecksumType.parse("sha256", OptionalLong.empty()));

  /** A random layout of data, written zeros and holes, 4 KiB to 3 MiB each, unaligned ends too. */
  static SparseImage randomLayout(Random random) {
    SparseImage.Builder b = SparseImage.builder();
    long size = 0;
    long target = (8L << 20) + random.nextInt(16 << 20);
    while (size < target) {
      long length = 4096L * (1 + random.nextInt(768)) + (random.nextInt(4) == 0 ? 512 : 0);
      switch (random.nextInt(3)) {
        case 0 -> b.data(length, random.nextLong());
        case 1 -> b.zeros(length);
        default -> b.hole(length);
      }
      size += length;
    }
    // qemu presents a raw file rounded up to 512 bytes: keep the size a multiple of it.
    return b.hole(512 - size % 512).build();
  }

  static List<Checksum> checksums(Image image) throws IOException {
    List<Checksum> out = new ArrayList<>();
    for (ChecksumType t : TYPES) {
      out.add(
          ChecksumEngine.withThreads(3)
              .compute(image, t, ByteRange.whole(image.size()), ProgressListener.NONE));
    }
    return out;
  }

  static byte[] readAll(Image image) throws IOException {
    byte[] all = new byte[(int) image.size()];
    // Pieces of odd sizes, so requests of one read land on different connections.
    for (int pos = 0; pos < all.length; ) {
      int n = Math.min(all.length - pos, 3 * (1 << 20) + 4096);
      image.readFully(pos, all, pos, n);
      pos += n;
    }
    return all;
  }

  @Test
  void severalConnectionsReadWhatOneDoesOnRandomQcow2Layouts() throws Exception {
    Random random = new Random(16);
    List<Path> sockets = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      SparseImage layout = randomLayout(random);
      Path raw = layout.writeTo(dir.resolve("disk" + round + ".raw"));
      Path qcow2 = dir.resolve("disk" + round + ".qcow2");
      String cluster = List.of("4k", "64k", "512k", "2M").get(round);
      Tools.run(
          Tools.qemuImg(),
          "convert",
          "-f",
          "raw",
          "-O",
          "qcow2",
          "-o",
          "cluster_size=" + cluster,
          raw.toString(),
          qcow2.toString());
      List<Checksum> expected;
      try (LocalImage image = LocalImage.openRead(raw)) {
        expected = checksums(image);
      }
      QemuNbd q1 = QemuNbd.serve(qcow2, "qcow2");
      QemuNbd q3 = QemuNbd.serve(qcow2, "qcow2");
      sockets.add(q1.socket());
      sockets.add(q3.socket());
      try (NbdImage one = q1.openImage(1);
          NbdImage three = q3.openImage(3)) {
        assertThat(one.connections()).isEqualTo(1);
        assertThat(three.connections()).isEqualTo(3);
        assertThat(checksums(three)).as(layout + " cluster " + cluster).isEqualTo(expected);
        assertThat(checksums(one)).as(layout + " cluster " + cluster).isEqualTo(expected);
        assertThat(readAll(three)).isEqualTo(layout.bytes());
      }
    }
    assertThat(QemuNbdLeaks.children()).isEmpty();
    // Only our own directories: other processes on the machine may run a qemu-nbd meanwhile.
    assertThat(sockets).allSatisfy(s -> assertThat(s.getParent()).doesNotExist());
    assertThat(readerThreads(sockets)).isEmpty();
  }

  @Test
  void aWritableExportKeepsOneConnection() throws Exception {
    Path qcow2 = dir.resolve("w.qcow2");
    Tools.run(Tools.qemuImg(), "create", "-f", "qcow2", qcow2.toString(), "4M");
    try (NbdImage image = QemuNbd.serveWritable(qcow2, "qcow2").openImage(4)) {
      assertThat(image.connections()).isEqualTo(1);
    }
    assertThat(QemuNbdLeaks.children()).isEmpty();
  }

  @Test
  void aQemuNbdDyingUnderAReadIsOneLineNamingTheImageAndOffsetAndNoChecksum() throws Exception {
    Path raw =
        SparseImage.builder().data(6 << 20, 1).hole(2 << 20).build().writeTo(dir.resolve("d.raw"));
    Path qcow2 = dir.resolve("d.qcow2");
    Tools.run(
        Tools.qemuImg(), "convert", "-f", "raw", "-O", "qcow2", raw.toString(), qcow2.toString());
    QemuNbd q = QemuNbd.serve(qcow2, "qcow2");
    try (NbdImage image = q.openImage(2)) {
      byte[] first = new byte[1 << 20];
      image.readFully(0, first, 0, first.length);
      ProcessHandle server = ProcessHandle.of(q.pid()).orElseThrow();
      server.destroyForcibly();
      server.onExit().get(10, TimeUnit.SECONDS);

      assertThatThrownBy(() -> image.readFully(3 << 20, first, 0, first.length))
          .isInstanceOf(NbdReadException.class)
          .hasMessageStartingWith(qcow2 + ": read of 1048576 bytes at offset 3145728 failed: ")
          .hasMessageNotContaining("\n")
          .satisfies(e -> assertThat(((NbdReadException) e).offset()).isEqualTo(3 << 20));
      assertThatThrownBy(() -> checksums(image))
          .isInstanceOf(NbdReadException.class)
          .hasMessageStartingWith(qcow2 + ": ")
          .hasMessageContaining(" at offset 0 failed: ")
          .hasMessageNotContaining("\n");
    }
    assertThat(QemuNbdLeaks.children()).isEmpty();
    assertThat(q.socket().getParent()).doesNotExist();
    assertThat(readerThreads(List.of(q.socket()))).isEmpty();
  }

  /**
   * The reply reader threads of connections to these sockets still alive after waiting up to 5 s
   * for each to end (a reader ends just after its socket closes).
   */
  static List<String> readerThreads(List<Path> sockets) throws InterruptedException {
    List<Thread> readers =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("nbd-reader "))
            .filter(t -> sockets.stream().anyMatch(s -> t.getName().contains(s.toString())))
            .toList();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Thread t : readers) {
      t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
    return readers.stream().filter(Thread::isAlive).map(Thread::getName).toList();
  }
}
