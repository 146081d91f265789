package dev.intact.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.server.TestDaemon;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Upload, download and copy over real loopback TLS, checked with qemu-img compare. */
class TransferRoundTripTest {
  static final long MIB = 1 << 20;
  @TempDir static Path dir;
  static TestDaemon a;
  static TestDaemon b;
  static TransferClient client;
  static int n;

  @BeforeAll
  static void start() throws Exception {
    a = TestDaemon.start(dir.resolve("a"));
    b = TestDaemon.start(dir.resolve("b"));
    Path both = dir.resolve("both.pem");
    Files.writeString(
        both,
        Files.readString(a.server().certificate()) + Files.readString(b.server().certificate()));
    client = new TransferClient(ClientTls.caFile(both));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    a.close();
    b.close();
  }

  static Stream<Layout> layouts() {
    return Stream.of(
        Layout.of("hole at start", MIB + 4097, 512 * 1024, MIB + 4097),
        Layout.of("hole in the middle", MIB, 0, 200_000, 700_000, MIB),
        Layout.of("hole at end", MIB, 0, 300_000),
        Layout.of("all zero (sparse)", 2 * MIB),
        Layout.of("allocated zeros", MIB, 0, MIB).writtenZeros(),
        Layout.of("full", MIB + 333, 0, MIB + 333),
        Layout.of("unaligned small", 12_345, 0, 12_345),
        Layout.of(
            "many small extents",
            9 * 65536 + 1,
            0,
            1,
            65536,
            65537,
            200_000,
            300_000,
            589_000,
            589_825),
        Layout.of("one byte", 1, 0, 1),
        Layout.of("empty", 0));
  }

  /** A destination on {@code d} holding {@code size} bytes of leftover garbage. */
  static Path garbage(TestDaemon d, long size) throws Exception {
    Path p = d.root().resolve("dst" + n++ + ".raw");
    byte[] junk = new byte[(int) Math.min(size, 256 * 1024)];
    new Random(n).nextBytes(junk);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      for (long pos = 0; pos < size; pos += junk.length) {
        f.write(junk, 0, (int) Math.min(junk.length, size - pos));
      }
      f.setLength(size);
    }
    return p;
  }

  static URI ticket(TestDaemon d, Path file, long size, boolean write) throws Exception {
    return d.imageUri(d.addTicket(file, size, write));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void uploadThenDownloadThenCopy(Layout layout) throws Exception {
    Path src = layout.build(dir.resolve("src" + n++ + ".raw"), n);

    Path dst = garbage(a, layout.size());
    TransferResult up =
        client.upload(
            src, List.of(ticket(a, dst, layout.size(), true)), TransferOptions.defaults());
    assertThat(up.verified()).isEqualTo(layout.size() > 0);
    assertThat(up.repairRounds()).isZero();
    QemuImg.assertSame(src, dst);

    Path down = dir.resolve("down" + n++ + ".raw");
    TransferResult dn =
        client.download(
            List.of(ticket(a, dst, layout.size(), false)), down, TransferOptions.defaults());
    assertThat(dn.checksum()).isEqualTo(up.checksum());
    QemuImg.assertSame(src, down);

    Path copy = garbage(b, layout.size());
    TransferResult cp =
        client.copy(
            List.of(ticket(a, dst, layout.size(), false)),
            List.of(ticket(b, copy, layout.size(), true)),
            TransferOptions.defaults());
    assertThat(cp.checksum()).isEqualTo(up.checksum());
    QemuImg.assertSame(src, copy);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void holesAreSentAsZeroRequestsNotBytes(Layout layout) throws Exception {
    Path src = layout.build(dir.resolve("src" + n++ + ".raw"), n);
    Path dst = garbage(a, layout.size());
    TransferResult r =
        client.upload(
            src, List.of(ticket(a, dst, layout.size(), true)), TransferOptions.defaults());
    long data = 0;
    if (!layout.zeroData()) {
      for (long[] d : layout.data()) {
        data += d[1] - d[0];
      }
    }
    // Data goes in whole 64 KiB blocks: at most one partial block on either side of each run.
    assertThat(r.dataBytes()).isBetween(data, data + layout.data().size() * 2L * 65536);
    assertThat(r.dataBytes() + r.zeroBytes()).isEqualTo(layout.size());
  }

  @org.junit.jupiter.api.Test
  void paddedDestinationIsVerifiedOverTheSourceRangeOnly() throws Exception {
    Layout layout = Layout.of("padded", 3 * MIB + 5, 0, 100_000, 2 * MIB, 3 * MIB + 5);
    Path src = layout.build(dir.resolve("padsrc.raw"), 99);
    long padded = layout.size() + 4 * MIB;
    Path dst = garbage(a, padded);
    byte[] tailBefore = readRange(dst, layout.size(), (int) (padded - layout.size()));
    TransferResult r =
        client.upload(src, List.of(ticket(a, dst, padded, true)), TransferOptions.defaults());
    assertThat(r.verified()).isTrue();
    assertThat(r.range().end()).isEqualTo(layout.size());
    assertThat(readRange(dst, 0, (int) layout.size())).isEqualTo(Files.readAllBytes(src));
    assertThat(readRange(dst, layout.size(), (int) (padded - layout.size()))).isEqualTo(tailBefore);
  }

  static byte[] readRange(Path p, long start, int length) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
      byte[] b = new byte[length];
      f.seek(start);
      f.readFully(b);
      return b;
    }
  }
}
