package dev.intact.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ticket's file is opened once, beneath its root, when the ticket is added: what happens to the
 * path afterwards (a symbolic link to a file outside every root, a parent directory swapped for a
 * link, a fifo) leads no request and no checksum anywhere else, and hangs nothing.
 */
@SuppressWarnings("try") // TestDaemon.close() waits, so it may throw InterruptedException
class PinnedImageTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  @TempDir Path dir;

  private static String text(char c, int size) {
    return String.valueOf(c).repeat(size);
  }

  private static HttpResponse<String> send(TestDaemon d, String method, String id, String body)
      throws Exception {
    URI uri = d.imageUri(id);
    HttpRequest.BodyPublisher pub =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    // A request stuck in an open() would otherwise hang the test instead of failing it.
    return d.http()
        .send(
            HttpRequest.newBuilder(uri).method(method, pub).timeout(PATIENCE).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void fileReplacedByASymlinkAfterTheTicketIsNeitherReadNorWritten() throws Exception {
    Path outside = Files.writeString(dir.resolve("outside.raw"), text('o', 4096));
    try (TestDaemon d = TestDaemon.start(dir)) {
      Path image = Files.writeString(d.root().resolve("a.raw"), text('a', 4096));
      String id = d.addTicket(image, 4096, true);
      Files.move(image, d.root().resolve("a.old"));
      Files.createSymbolicLink(image, outside);

      HttpResponse<String> get = send(d, "GET", id, null);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo(text('a', 4096));
      assertThat(send(d, "PUT", id, text('w', 4096)).statusCode()).isEqualTo(200);
      assertThat(Files.readString(outside)).isEqualTo(text('o', 4096));
      assertThat(Files.readString(d.root().resolve("a.old"))).isEqualTo(text('w', 4096));
    }
  }

  @Test
  void parentDirectoryReplacedByASymlinkAfterTheTicketLeadsNowhereElse() throws Exception {
    Path outsideDir = Files.createDirectories(dir.resolve("outside"));
    Path outside = Files.writeString(outsideDir.resolve("a.raw"), text('o', 4096));
    try (TestDaemon d = TestDaemon.start(dir)) {
      Path sub = Files.createDirectories(d.root().resolve("sub"));
      Path image = Files.writeString(sub.resolve("a.raw"), text('a', 4096));
      String id = d.addTicket(image, 4096, true);
      Files.move(sub, d.root().resolve("sub.old"));
      Files.createSymbolicLink(sub, outsideDir);

      HttpResponse<String> get = send(d, "GET", id, null);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo(text('a', 4096));
      assertThat(send(d, "PUT", id, text('w', 4096)).statusCode()).isEqualTo(200);
      assertThat(Files.readString(outside)).isEqualTo(text('o', 4096));
      assertThat(Files.readString(d.root().resolve("sub.old/a.raw"))).isEqualTo(text('w', 4096));
    }
  }

  @Test
  void checksumJobAfterARenameAndSymlinkSwapHashesTheTicketsInode() throws Exception {
    Path outside = Files.writeString(dir.resolve("outside.raw"), text('o', 8192));
    try (TestDaemon d = TestDaemon.start(dir)) {
      Path image = d.image("a.raw", 8192);
      String id = d.addTicket(image, 8192, true);
      assertThat(send(d, "PUT", id, text('w', 8192)).statusCode()).isEqualTo(200);
      Path moved = d.root().resolve("a.moved");
      Files.move(image, moved);
      Files.createSymbolicLink(image, outside);

      String job =
          ChecksumJobTest.start(
              d,
              "images/" + id + "/checksum-jobs",
              "{\"start_offset\":0,\"end_offset\":0,\"checksum_algorithm\":\"sha256\"}");
      JsonNode s = ChecksumJobTest.await(d, "images/" + id + "/checksum-jobs/" + job);
      assertThat(s.get("execution_status").asText()).isEqualTo("finished");
      assertThat(s.get("checksum_value").asText())
          .isEqualTo(sha256sum(moved))
          .isNotEqualTo(sha256sum(outside));
    }
  }

  @Test
  void fifoSwappedInAfterTheTicketDoesNotHangRequests() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      Path image = Files.writeString(d.root().resolve("a.raw"), text('a', 4096));
      String id = d.addTicket(image, 4096, true);
      Files.move(image, d.root().resolve("a.old"));
      mkfifo(image);
      // Several at once: each used to pin a carrier thread in open() until a writer came.
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> get = send(d, "GET", id, null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(text('a', 4096));
      }
      assertThat(send(d, "PUT", id, text('w', 4096)).statusCode()).isEqualTo(200);
      assertThat(Files.readString(d.root().resolve("a.old"))).isEqualTo(text('w', 4096));
    }
  }

  @Test
  void aTicketForAFifoIsRefusedWithoutOpeningIt() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      Path fifo = d.root().resolve("f.fifo");
      mkfifo(fifo);
      String id = dev.intact.server.ticket.TicketId.random();
      HttpResponse<String> r =
          d.control(
              "PUT",
              id,
              "{\"uuid\":\""
                  + id
                  + "\",\"url\":\""
                  + fifo.toUri()
                  + "\",\"size\":4096,\"ops\":[\"read\"]}");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("not a regular file");
    }
  }

  @Test
  void aSymlinkOutOfTheRootIsRefusedAtTicketTime() throws Exception {
    Path outside = Files.writeString(dir.resolve("outside.raw"), text('o', 4096));
    try (TestDaemon d = TestDaemon.start(dir)) {
      Path link = Files.createSymbolicLink(d.root().resolve("link.raw"), outside);
      String id = dev.intact.server.ticket.TicketId.random();
      HttpResponse<String> r =
          d.control(
              "PUT",
              id,
              "{\"uuid\":\""
                  + id
                  + "\",\"url\":\""
                  + link.toUri()
                  + "\",\"size\":4096,\"ops\":[\"read\"]}");
      assertThat(r.statusCode()).isEqualTo(403);
    }
  }

  private static void mkfifo(Path path) throws Exception {
    run("mkfifo (coreutils)", "mkfifo", path.toString());
  }

  private static String sha256sum(Path file) throws Exception {
    return run("sha256sum (coreutils)", "sha256sum", file.toString()).substring(0, 64);
  }

  private static String run(String what, String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new AssertionError("needs " + what + ": " + e.getMessage(), e);
    }
    assertThat(p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as(what).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(what + ": " + out).isZero();
    return out;
  }
}
