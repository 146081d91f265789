package dev.intact.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.server.image.StorageFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ticket ids are credentials: no spelling of a route that Jetty normalises to it puts the id in the
 * access log.
 */
@SuppressWarnings("try") // TestDaemon.close() waits, so it may throw InterruptedException
class AccessLogRedactionTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/images/ID",
        "/images;x=1/ID",
        "/%69mages/ID",
        "/images/./ID",
        "//images/ID",
        "/images/ID/extents",
        "/images/x/../ID",
        "/api/v2/device/ID/checksumJob",
        "/images%2FID",
        "/nothing/ID"
      })
  void dataPathVariantsNeverLogTheTicketId(String spelling) throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    try (TestDaemon d = TestDaemon.start(dir, StorageFactory.STORAGE, c -> c, log::add)) {
      String id = d.addTicket(d.image("a.raw", 4096), 4096, false);
      URI uri =
          URI.create(
              d.server().dataUri().resolve("/").toString()
                  + spelling.substring(1).replace("ID", id));
      HttpResponse<String> r =
          d.http()
              .send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).doesNotContain(id);
      awaitLines(log, 2);
      assertThat(log).allSatisfy(line -> assertThat(line).doesNotContain(id.substring(4)));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/tickets/ID",
        "/tickets;x=1/ID",
        "/%74ickets/ID",
        "//tickets/ID",
        "/tickets/./ID"
      })
  void controlPathVariantsNeverLogTheTicketId(String spelling) throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    try (TestDaemon d = TestDaemon.start(dir, StorageFactory.STORAGE, c -> c, log::add)) {
      String id = d.addTicket(d.image("a.raw", 4096), 4096, false);
      URI uri =
          URI.create(
              d.server().controlUri().orElseThrow().resolve("/").toString()
                  + spelling.substring(1).replace("ID", id));
      HttpResponse<String> r =
          d.http()
              .send(
                  HttpRequest.newBuilder(uri)
                      .header("Authorization", "Bearer " + d.controlToken())
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      // The control service answers its owner, who holds the id; only the log must not have it.
      assertThat(r.statusCode()).isIn(200, 400, 403, 404);
      awaitLines(log, 2);
      assertThat(log).allSatisfy(line -> assertThat(line).doesNotContain(id.substring(4)));
    }
  }

  /**
   * The access log is written after the response: wait (with a deadline) for the request's line.
   */
  private static void awaitLines(List<String> log, int lines) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (log.size() < lines) {
      assertThat(System.nanoTime()).as("access log lines: " + log).isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    }
  }
}
