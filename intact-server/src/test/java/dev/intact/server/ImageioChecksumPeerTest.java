package dev.intact.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.testing.PeerFixtures;
import dev.intact.core.testing.PeerFixtures.Row;
import dev.intact.core.testing.PeerInputs;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's {@code GET /images/{ticket}/checksum} answers what ovirt-imageio 2.5.3's daemon
 * answered for the same inputs (fixtures in intact-core's {@code peers/imageio-daemon.tsv}): over a
 * file ticket the file's own size, over an NBD ticket on {@code qemu-nbd -f raw} the export qemu
 * presents (padded to 512). Where imageio failed (HTTP 500 on unaligned files with a data tail),
 * Intact answers.
 */
@SuppressWarnings("try") // NbdPeer.close() waits, so it may throw InterruptedException
class ImageioChecksumPeerTest {
  private static final Pattern CHECKSUM = Pattern.compile("\"checksum\":\"([0-9a-f]+)\"");

  @TempDir Path dir;

  private static List<Row> rows(String source) {
    return PeerFixtures.read("imageio-daemon.tsv").stream()
        .filter(r -> r.source().equals(source))
        .toList();
  }

  private static String checksum(TestDaemon daemon, String id, Row row) throws Exception {
    HttpResponse<String> r =
        daemon.data(
            "GET",
            "images/"
                + id
                + "/checksum?algorithm="
                + row.algorithm()
                + "&block_size="
                + row.blockSize(),
            null);
    assertThat(r.statusCode()).as(row.command() + ": " + r.body()).isEqualTo(200);
    Matcher m = CHECKSUM.matcher(r.body());
    assertThat(m.find()).as(r.body()).isTrue();
    return m.group(1);
  }

  @Test
  void fileTicketsAnswerWhatImageioAnswersAndAnswerWhereItFailed() throws Exception {
    int equal = 0;
    int imageioFailed = 0;
    try (TestDaemon daemon = TestDaemon.start(dir)) {
      for (String input : PeerInputs.names()) {
        Path file = PeerInputs.write(daemon.root(), input);
        String id = daemon.addTicket(file, Files.size(file), false);
        for (Row row : rows("daemon-file")) {
          if (!row.input().equals(input)) {
            continue;
          }
          String value = checksum(daemon, id, row);
          if (row.failed()) {
            imageioFailed++;
          } else {
            assertThat(value).as(row.command()).isEqualTo(row.result());
            equal++;
          }
        }
      }
    }
    assertThat(equal).isEqualTo(36);
    assertThat(imageioFailed).isEqualTo(60);
  }

  @Test
  void nbdTicketsOnQemuNbdAnswerWhatImageioAnswers() throws Exception {
    int equal = 0;
    try (TestDaemon daemon = TestDaemon.start(dir)) {
      for (String input : List.of("random-1", "random-65537", "hole-100001", "sparse-3MiB+1000")) {
        Path file = PeerInputs.write(Files.createDirectories(dir.resolve("images")), input);
        long padded = Math.ceilDiv(Files.size(file), 512) * 512;
        try (NbdPeer qemu = NbdPeer.qemuNbd(daemon.root().resolve(input + ".sock"), "raw", file)) {
          String id = daemon.addTicket(qemu.url(), padded, false);
          for (Row row : rows("daemon-nbd")) {
            if (row.input().equals(input)) {
              assertThat(checksum(daemon, id, row)).as(row.command()).isEqualTo(row.result());
              equal++;
            }
          }
        }
      }
    }
    assertThat(equal).isEqualTo(16);
  }
}
