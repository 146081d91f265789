package dev.intact.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file truncated after its ticket was added: a clear 409 naming the ticket, no server path. */
@SuppressWarnings("try") // TestDaemon.close() may be interrupted
class ShrunkImageTest {
  @TempDir Path dir;

  @Test
  void readsOfAShrunkImageAnswerConflictNamingTheTicketAndNoServerPath() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      Path f = d.image("a.raw", 1 << 20);
      String id = d.addTicket(f, 1 << 20, false);
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
        ch.truncate(4096);
      }
      for (String path : new String[] {"images/" + id, "images/" + id + "/checksum"}) {
        HttpResponse<String> r = d.data("GET", path, null);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(409);
        assertThat(r.body())
            .as(path)
            .contains("shorter than the ticket's size 1048576")
            .contains("ticket " + id.substring(0, 4))
            .doesNotContain("ended early")
            .doesNotContain(dir.toString())
            .doesNotContain("/proc/");
      }
    }
  }
}
