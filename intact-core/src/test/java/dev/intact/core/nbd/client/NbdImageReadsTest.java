package dev.intact.core.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.image.PendingRead;
import dev.intact.core.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How NbdImage asks a server for data, as nbdkit's log filter records the requests. */
@SuppressWarnings("try") // ServerProcess.close() waits, so it may throw InterruptedException
class NbdImageReadsTest {
  private static final Pattern READ =
      Pattern.compile(" Read id=\\d+ offset=(0x\\p{XDigit}+) count=(0x\\p{XDigit}+) ");

  @TempDir Path dir;

  @Test
  void readsGoOutAsRequestsOf256KiBAllInFlightTogether() throws Exception {
    byte[] content = new byte[3 << 20];
    new Random(7).nextBytes(content);
    Path file = dir.resolve("disk.raw");
    Files.write(file, content);
    Path log = dir.resolve("requests.log");
    try (ServerProcess server =
            ServerProcess.nbdkit(
                dir,
                "--filter=log",
                "--filter=delay",
                "file",
                file.toString(),
                "logfile=" + log,
                "rdelay=200ms");
        NbdImage image = NbdImage.open(server.uri())) {
      assertThat(image.pipelinesReads()).isTrue();
      byte[] first = new byte[1 << 20];
      byte[] second = new byte[512 << 10];
      byte[] third = new byte[(1 << 20) + 4096];
      PendingRead a = image.startRead(0, first, 0, first.length);
      PendingRead b = image.startRead(2 << 20, second, 0, 512 << 10);
      b.await();
      a.await();
      image.readFully(1 << 20, third, 4096, 1 << 20);

      assertThat(first).isEqualTo(java.util.Arrays.copyOfRange(content, 0, 1 << 20));
      assertThat(second)
          .isEqualTo(java.util.Arrays.copyOfRange(content, 2 << 20, (2 << 20) + (512 << 10)));
      assertThat(java.util.Arrays.copyOfRange(third, 4096, 4096 + (1 << 20)))
          .isEqualTo(java.util.Arrays.copyOfRange(content, 1 << 20, 2 << 20));
    }
    List<String> lines = Files.readAllLines(log);
    // Every request of the two started reads reached the server before the first (delayed) reply.
    int sixthStart = -1;
    for (int i = 0, starts = 0; i < lines.size() && starts < 6; i++) {
      if (READ.matcher(lines.get(i)).find() && ++starts == 6) {
        sixthStart = i;
      }
    }
    int firstReply =
        java.util.stream.IntStream.range(0, lines.size())
            .filter(i -> lines.get(i).contains("...Read id="))
            .findFirst()
            .orElseThrow();
    assertThat(sixthStart).isPositive().isLessThan(firstReply);
    List<long[]> reads =
        lines.stream()
            .map(READ::matcher)
            .filter(Matcher::find)
            .map(m -> new long[] {Long.decode(m.group(1)), Long.decode(m.group(2))})
            .toList();
    // qemu-nbd serves 2 GiB of qcow2 for 1.2-1.7 s of CPU in requests of this size, against
    // 2.1-2.6 s in 1-4 MiB ones: NbdImage's reason for the size.
    assertThat(reads).hasSize(4 + 2 + 4).allSatisfy(r -> assertThat(r[1]).isEqualTo(256 << 10));
    assertThat(reads.stream().mapToLong(r -> r[0]).sorted().toArray())
        .containsExactly(
            0,
            256 << 10,
            512 << 10,
            768 << 10, // first
            1 << 20,
            1280 << 10,
            1536 << 10,
            1792 << 10, // readFully
            2 << 20,
            2304 << 10); // second
  }
}
