package dev.intact.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intact.core.testing.PeerInputs;
import dev.intact.server.image.StorageFactory;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's imageio-only mode ({@link DataApi#IMAGEIO}) answers as the real ovirt-imageio 2.5.3
 * daemon did (fixtures in intact-core's {@code peers/imageio-api/}, with the command that made
 * each): OPTIONS names imageio's features only, the checksum-jobs and block-digests routes do not
 * exist, and {@code /checksum} of the bytes Intact uploaded to imageio is imageio's value.
 */
@SuppressWarnings("try") // TestDaemon.close() waits, so it may throw InterruptedException
class ImageioApiModeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** The JSON body of a recorded answer: its last non-empty line. */
  private static JsonNode fixtureBody(String name) throws Exception {
    try (InputStream in =
        ImageioApiModeTest.class.getResourceAsStream("/peers/imageio-api/" + name + ".txt")) {
      assertThat(in).as(name).isNotNull();
      List<String> lines =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(l -> !l.isBlank())
              .toList();
      return JSON.readTree(lines.getLast());
    }
  }

  private static JsonNode body(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void optionsNameWhatImageioNamesForStarWritableAndReadOnlyTickets() throws Exception {
    try (TestDaemon d = TestDaemon.startImageio(dir, StorageFactory.STORAGE)) {
      Path file = d.image("a.raw", 1 << 20);
      String rw = d.addTicket(file, 1 << 20, true);
      String ro = d.addTicket(file, 1 << 20, false);
      assertThat(body(d.data("OPTIONS", "images/*", null)).get("features"))
          .isEqualTo(fixtureBody("options-star").get("features"));
      HttpResponse<String> w = d.data("OPTIONS", "images/" + rw, null);
      assertThat(body(w).get("features"))
          .isEqualTo(fixtureBody("options-writable-file-ticket").get("features"));
      assertThat(w.headers().firstValue("allow").orElseThrow()).contains("PUT", "PATCH");
      HttpResponse<String> r = d.data("OPTIONS", "images/" + ro, null);
      assertThat(body(r).get("features"))
          .isEqualTo(fixtureBody("options-file-ticket").get("features"));
      assertThat(r.headers().firstValue("allow").orElseThrow()).doesNotContain("PUT");
    }
  }

  @Test
  void intactsOwnRoutesAreAbsentAsInImageio() throws Exception {
    try (TestDaemon d = TestDaemon.startImageio(dir, StorageFactory.STORAGE)) {
      Path file = d.image("a.raw", 65536);
      String id = d.addTicket(file, 65536, true);
      HttpResponse<String> jobs =
          d.data(
              "POST",
              "images/" + id + "/checksum-jobs",
              "{\"start_offset\":0,\"end_offset\":0,\"checksum_algorithm\":\"sha256\"}");
      assertThat(jobs.statusCode()).isBetween(400, 499);
      HttpResponse<String> digests =
          d.data(
              "GET",
              "images/"
                  + id
                  + "/block-digests?algorithm=sha256&block_size=4096&start=0&length=4096",
              null);
      assertThat(digests.statusCode()).isBetween(400, 499);
    }
    try (TestDaemon d = TestDaemon.start(dir.resolve("intact"))) {
      assertThat(body(d.data("OPTIONS", "images/*", null)).get("features").toString())
          .contains("checksum-jobs", "block-digests");
    }
  }

  @Test
  void checksumOfTheUploadedBytesIsWhatImageioAnswered() throws Exception {
    try (TestDaemon d = TestDaemon.startImageio(dir, StorageFactory.STORAGE)) {
      Path file = d.root().resolve("up.raw");
      Files.write(file, PeerInputs.splitMix64(42, (4 << 20) + 4096));
      String id = d.addTicket(file, Files.size(file), true);
      for (String name :
          List.of("checksum-after-intact-upload", "checksum-sha1-after-intact-upload")) {
        JsonNode want = fixtureBody(name);
        JsonNode got =
            body(
                d.data(
                    "GET",
                    "images/"
                        + id
                        + "/checksum?algorithm="
                        + want.get("algorithm").asText()
                        + "&block_size="
                        + want.get("block_size").asLong(),
                    null));
        assertThat(got.get("checksum")).as(name).isEqualTo(want.get("checksum"));
        assertThat(got.get("algorithm")).as(name).isEqualTo(want.get("algorithm"));
      }
    }
  }
}
