package dev.intact.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.server.TestDaemon;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpErrorTest {
  @TempDir Path dir;

  @Test
  void aReasonQuotingClientInputStaysOneShortLine() {
    assertThat(new HttpError(400, "bad 'a\nb\r\tc\u0000'").getMessage())
        .isEqualTo("bad 'a\\nb\\r\\tc\\u0000'");
    String huge = new HttpError(400, "x".repeat(100_000)).getMessage();
    assertThat(huge).hasSize(HttpError.MAX_REASON + 3).endsWith("...");
  }

  @Test
  @SuppressWarnings("try") // TestDaemon.close() may be interrupted
  void aNewlineSmuggledInAQueryIsRefusedWithOneLine() throws Exception {
    try (TestDaemon d = TestDaemon.start(dir)) {
      String id = d.addTicket(d.image("a.raw", 4096), 4096, false);
      URI uri = d.imageUri(id).resolve(id + "/checksum?algorithm=sha1%0Aforged:%20header");
      HttpResponse<String> r =
          d.http()
              .send(
                  HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(r.body().strip().lines().count()).isEqualTo(1);
      assertThat(r.body()).contains("sha1\\nforged");
    }
  }
}
