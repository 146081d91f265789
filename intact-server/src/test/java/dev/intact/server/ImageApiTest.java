package dev.intact.server;

import static dev.intact.server.TicketApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageApiTest {
  @TempDir static Path dir;
  static TestDaemon daemon;
  static int counter;

  @BeforeAll
  static void start() throws Exception {
    daemon = TestDaemon.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    daemon.close();
  }

  /** A file under the root holding {@code content}, and a ticket for it. */
  static String ticket(byte[] content, boolean write) throws Exception {
    Path p = daemon.root().resolve("img" + counter++ + ".raw");
    Files.write(p, content);
    return daemon.addTicket(p, content.length, write);
  }

  static Path file(String id) throws Exception {
    String shown = daemon.control("GET", id, null).body();
    return Path.of(java.net.URI.create(shown.replaceAll(".*\"url\":\"([^\"]+)\".*", "$1")));
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
    return daemon.http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpRequest.Builder req(String id) {
    return HttpRequest.newBuilder(daemon.imageUri(id));
  }

  @Test
  void optionsAdvertisesFeaturesAndLimits() throws Exception {
    String rw = ticket(new byte[4096], true);
    HttpResponse<String> r = daemon.data("OPTIONS", "images/" + rw, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Allow")).hasValue("OPTIONS, GET, PUT, PATCH");
    assertThat(r.body())
        .contains(
            "\"checksum\"",
            "\"extents\"",
            "\"zero\"",
            "\"flush\"",
            "\"max_readers\":8",
            "\"max_writers\":8");
    String ro = ticket(new byte[4096], false);
    assertThat(daemon.data("OPTIONS", "images/" + ro, null).headers().firstValue("Allow"))
        .hasValue("OPTIONS, GET");
    assertThat(daemon.data("OPTIONS", "images/*", null).statusCode()).isEqualTo(200);
  }

  @Test
  void getWholeAndRanges() throws Exception {
    byte[] content = random(10_000, 1);
    String id = ticket(content, false);
    HttpResponse<byte[]> all = send(req(id).GET());
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body()).isEqualTo(content);

    HttpResponse<byte[]> part = send(req(id).header("Range", "bytes=100-4195").GET());
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-4195/10000");
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(content, 100, 4196));

    assertThat(send(req(id).header("Range", "bytes=9999-").GET()).body())
        .containsExactly(content[9999]);
    assertThat(send(req(id).header("Range", "bytes=9990-10000").GET()).statusCode()).isEqualTo(416);
    assertThat(send(req(id).header("Range", "bytes=-5").GET()).statusCode()).isEqualTo(416);
    assertThat(send(req(id).header("Range", "bytes=0-1,4-5").GET()).statusCode()).isEqualTo(416);
  }

  @Test
  void putWithContentRangeWritesOnlyThatRange() throws Exception {
    byte[] content = random(8192, 2);
    String id = ticket(content, true);
    byte[] patch = random(1000, 3);
    HttpResponse<byte[]> r =
        send(
            req(id + "?flush=n")
                .header("Content-Range", "bytes 3000-3999/*")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(patch)));
    assertThat(r.statusCode()).isEqualTo(200);
    System.arraycopy(patch, 0, content, 3000, 1000);
    assertThat(Files.readAllBytes(file(id))).isEqualTo(content);
    assertThat(daemon.control("GET", id, null).body()).contains("\"transferred\":1000");
  }

  /**
   * A PUT refused before its body is read still gets its answer: the daemon reads and drops the
   * rest of the body first, as closing on a client still sending would reset the connection and
   * could lose the answer on the way.
   */
  @Test
  void aPutRefusedBeforeItsBodyIsReadIsAnsweredNotReset() throws Exception {
    String id = ticket(new byte[8192], true);
    byte[] body = random(16 << 20, 6);
    for (int round = 0; round < 3; round++) {
      HttpResponse<byte[]> r =
          send(
              req(id + "?flush=n")
                  .header("Content-Range", "bytes 0-" + (body.length - 1) + "/*")
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
      assertThat(r.statusCode()).isEqualTo(416);
    }
  }

  @Test
  void chunkedPutsAreAccepted() throws Exception {
    byte[] content = new byte[5000];
    String id = ticket(content, true);
    byte[] body = random(3000, 4);
    var pub = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    assertThat(send(req(id).PUT(pub)).statusCode()).isEqualTo(200);
    byte[] expect = content.clone();
    System.arraycopy(body, 0, expect, 0, 3000);
    assertThat(Files.readAllBytes(file(id))).isEqualTo(expect);

    byte[] tail = random(100, 5);
    var ranged = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tail));
    assertThat(send(req(id).header("Content-Range", "bytes 4900-4999/*").PUT(ranged)).statusCode())
        .isEqualTo(200);
    System.arraycopy(tail, 0, expect, 4900, 100);
    assertThat(Files.readAllBytes(file(id))).isEqualTo(expect);
  }

  /**
   * Bodies are written past the page cache from aligned buffers, each piece placed at its offset's
   * distance from a 4 KiB boundary: ranges starting and ending anywhere, over several buffers, must
   * land byte for byte, and the bytes around them must stay.
   */
  @Test
  void putsAtAnyOffsetOverSeveralBuffersLandByteForByte() throws Exception {
    int size = 8 << 20;
    byte[] content = random(size, 20);
    String id = ticket(content, true);
    byte[] expect = content.clone();
    long[][] ranges = {
      {0, 3 << 20},
      {4096 * 5 + 123, (2 << 20) + 4001},
      {size - 777, 777},
      {(5 << 20) - 1, 1},
      {4096, 4096},
      {(6 << 20) + 511, (1 << 20) + 4096}
    };
    int seed = 21;
    for (long[] r : ranges) {
      byte[] body = random((int) r[1], seed++);
      String contentRange = "bytes " + r[0] + "-" + (r[0] + r[1] - 1) + "/*";
      var put = req(id).header("Content-Range", contentRange);
      assertThat(send(put.PUT(HttpRequest.BodyPublishers.ofByteArray(body))).statusCode())
          .as(contentRange)
          .isEqualTo(200);
      System.arraycopy(body, 0, expect, (int) r[0], body.length);
    }
    byte[] onDisk = Files.readAllBytes(file(id));
    assertThat(Arrays.mismatch(onDisk, expect)).as("first differing byte").isEqualTo(-1);
  }

  @Test
  void oversizedAndOutOfRangeWritesChangeNothingOutsideTheirRange() throws Exception {
    byte[] content = random(4096, 6);
    String id = ticket(content, true);
    Path f = file(id);

    var past =
        send(
            req(id)
                .header("Content-Range", "bytes 4000-4199/*")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[200])));
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(new String(past.body(), StandardCharsets.UTF_8))
        .contains("write [4000, 4200) is past the end of the image (size 4096 bytes)");

    var huge =
        send(
            req(id)
                .header("Content-Range", "bytes 9223372036854775806-9223372036854775806/*")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1])));
    assertThat(huge.statusCode()).isEqualTo(416);

    var mismatch =
        send(
            req(id)
                .header("Content-Range", "bytes 0-9/*")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[20])));
    assertThat(mismatch.statusCode()).isEqualTo(400);

    var badHeader =
        send(
            req(id)
                .header("Content-Range", "bytes -5-9/*")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1])));
    assertThat(badHeader.statusCode()).isEqualTo(400);

    var tooBig = send(req(id).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[5000])));
    assertThat(tooBig.statusCode()).isEqualTo(416);
    assertThat(Files.readAllBytes(f)).isEqualTo(content);

    // A chunked body longer than its range: the range is written, nothing after it.
    byte[] longer = random(300, 7);
    var chunked = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(longer));
    var over = send(req(id).header("Content-Range", "bytes 100-199/*").PUT(chunked));
    assertThat(over.statusCode()).isEqualTo(416);
    System.arraycopy(longer, 0, content, 100, 100);
    assertThat(Files.readAllBytes(f)).isEqualTo(content);
  }

  @Test
  void writeOnReadTicketIsForbidden() throws Exception {
    byte[] content = random(4096, 8);
    String id = ticket(content, false);
    var r = send(req(id).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[10])));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("does not allow write");
    assertError(
        daemon.data("PATCH", "images/" + id, "{\"op\":\"flush\"}"), 403, "does not allow write");
    assertThat(Files.readAllBytes(file(id))).isEqualTo(content);
  }

  @Test
  void patchZeroAndFlush() throws Exception {
    byte[] content = random(8192, 9);
    String id = ticket(content, true);
    var ok =
        daemon.data(
            "PATCH",
            "images/" + id,
            "{\"op\":\"zero\",\"offset\":1000,\"size\":2000,\"flush\":true}");
    assertThat(ok.statusCode()).isEqualTo(200);
    Arrays.fill(content, 1000, 3000, (byte) 0);
    assertThat(Files.readAllBytes(file(id))).isEqualTo(content);
    assertThat(daemon.data("PATCH", "images/" + id, "{\"op\":\"flush\"}").statusCode())
        .isEqualTo(200);

    assertError(
        daemon.data("PATCH", "images/" + id, "{\"op\":\"zero\",\"offset\":8000,\"size\":193}"),
        416,
        "zero [8000, 8193) is past the end");
    assertError(
        daemon.data(
            "PATCH",
            "images/" + id,
            "{\"op\":\"zero\",\"offset\":9223372036854775807,\"size\":9223372036854775807}"),
        416,
        "past the end");
    assertError(
        daemon.data("PATCH", "images/" + id, "{\"op\":\"zero\",\"offset\":-1,\"size\":1}"),
        400,
        "field 'offset' is negative");
    assertError(
        daemon.data("PATCH", "images/" + id, "{\"op\":\"zero\",\"size\":1}"),
        400,
        "field 'offset' is required");
    assertError(daemon.data("PATCH", "images/" + id, "{\"op\":\"trim\"}"), 400, "PATCH op 'trim'");
    assertError(daemon.data("PATCH", "images/" + id, "{op:zero}"), 400, "not valid JSON");
    assertThat(Files.readAllBytes(file(id))).isEqualTo(content);
  }

  @Test
  void extentsCoverTheImageOrTheAskedRange() throws Exception {
    String id = ticket(new byte[10_000], false);
    HttpResponse<String> all = daemon.data("GET", "images/" + id + "/extents?context=zero", null);
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body()).startsWith("[{\"start\":0,\"length\":10000,");
    HttpResponse<String> part =
        daemon.data("GET", "images/" + id + "/extents?context=zero&start=4096&length=100", null);
    assertThat(part.body()).startsWith("[{\"start\":4096,\"length\":100,");
    assertError(
        daemon.data("GET", "images/" + id + "/extents?start=9000&length=1001", null),
        416,
        "past the end");
    assertError(daemon.data("GET", "images/" + id + "/extents?start=-1", null), 400, "negative");
    assertError(daemon.data("GET", "images/" + id + "/extents?context=dirty", null), 400, "dirty");
  }

  @Test
  void extentsReportHoles() throws Exception {
    Path f = daemon.image("sparse.raw", 1 << 20);
    try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(random(65536, 12)), 512 * 1024);
    }
    String id = daemon.addTicket(f, 1 << 20, false);
    assertThat(daemon.data("GET", "images/" + id + "/extents", null).body())
        .isEqualTo(
            "[{\"start\":0,\"length\":524288,\"zero\":true,\"hole\":true},"
                + "{\"start\":524288,\"length\":65536,\"zero\":false,\"hole\":false},"
                + "{\"start\":589824,\"length\":458752,\"zero\":true,\"hole\":true}]");
  }

  @Test
  void removingATicketCancelsItsStreamingRequests() throws Exception {
    Path f = daemon.image("long.raw", 256L << 20);
    String id = daemon.addTicket(f, 256L << 20, false);
    var response =
        daemon.http().send(req(id).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    try (var body = response.body()) {
      assertThat(body.readNBytes(1 << 20)).hasSize(1 << 20);
      assertThat(daemon.control("DELETE", id, null).statusCode()).isEqualTo(204);
      // The daemon aborts the response at its next chunk: the body ends early or fails.
      long received = 1 << 20;
      try {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = body.read(buf)) >= 0; ) {
          received += n;
        }
      } catch (java.io.IOException aborted) {
        // an aborted response is the expected outcome
      }
      assertThat(received).isLessThan(256L << 20);
    }
    assertThat(daemon.data("GET", "images/" + id, null).statusCode()).isEqualTo(403);
  }

  /** checksums.md: b"data" then zeros, imageio construction, sha1 inner digest. */
  @Test
  void synchronousChecksumMatchesTheImageioVectors() throws Exception {
    byte[] four = new byte[4 << 20];
    System.arraycopy("data".getBytes(StandardCharsets.US_ASCII), 0, four, 0, 4);
    String id4 = ticket(four, false);
    assertThat(daemon.data("GET", "images/" + id4 + "/checksum?algorithm=sha1", null).body())
        .isEqualTo(
            "{\"algorithm\":\"sha1\",\"block_size\":4194304,"
                + "\"checksum\":\"3ed03b375b6658d99b63ced1867a95aeef080b79\"}");
    assertThat(daemon.data("GET", "images/" + id4 + "/checksum", null).body())
        .isEqualTo(
            "{\"algorithm\":\"blake2b\",\"block_size\":4194304,"
                + "\"checksum\":\"f426bb2cf1e1901fe4e87423950944ecfed6d9d18a09e6e802aa4912e1c9b2d6\"}");
    byte[] five = Arrays.copyOf(four, 5 << 20);
    String id5 = ticket(five, false);
    assertThat(daemon.data("GET", "images/" + id5 + "/checksum?algorithm=sha1", null).body())
        .contains("\"checksum\":\"d3936edd8e3a8ff10e8257a9f460d8da67838549\"");
    assertThat(daemon.data("GET", "images/" + id5 + "/checksum/algorithms", null).body())
        .contains("\"sha256\"", "\"sha1\"", "\"blake2b\"");
    assertError(
        daemon.data("GET", "images/" + id5 + "/checksum?algorithm=nope", null), 400, "nope");
    assertError(
        daemon.data("GET", "images/" + id5 + "/checksum?algorithm=sha1&block_size=1000", null),
        400,
        "block size 1000 is not valid");
  }

  @Test
  void blockDigestsAreThePerBlockDigestsOfStorage() throws Exception {
    byte[] content = random(3 * 65536 + 100, 10);
    String id = ticket(content, false);
    HttpResponse<String> r =
        daemon.data(
            "GET",
            "images/" + id + "/block-digests?start=65536&block_size=65536&algorithm=sha256",
            null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    StringBuilder expect =
        new StringBuilder(
            "{\"algorithm\":\"sha256\",\"block_size\":65536,\"start\":65536,\"digests\":[");
    for (int b = 1; b < 4; b++) {
      int from = b * 65536;
      int to = Math.min(content.length, from + 65536);
      byte[] d = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(content, from, to));
      expect.append(b > 1 ? "," : "").append('"').append(HexFormat.of().formatHex(d)).append('"');
    }
    assertThat(r.body()).isEqualTo(expect.append("]}").toString());
    assertError(
        daemon.data("GET", "images/" + id + "/block-digests?start=100&block_size=65536", null),
        400,
        "not a multiple of block_size");
    assertError(
        daemon.data("GET", "images/" + id + "/block-digests?block_size=1000", null),
        400,
        "block_size 1000");
  }

  @Test
  void blockDigestRequestsAreBounded() throws Exception {
    Path big = daemon.image("big.raw", 65_537L * 4096);
    String id = daemon.addTicket(big, 65_537L * 4096, false);
    assertError(
        daemon.data("GET", "images/" + id + "/block-digests?block_size=4096", null),
        400,
        "range covers 65537 blocks; at most 65536 per request");
  }

  @Test
  void unknownRoutesAndMethods() throws Exception {
    String id = ticket(new byte[10], false);
    assertError(daemon.data("GET", "images/" + id + "/nothing", null), 404, "no such resource");
    assertError(daemon.data("GET", "other", null), 404, "no such resource");
    HttpResponse<String> r = daemon.data("DELETE", "images/" + id, null);
    assertError(r, 405, "method DELETE is not allowed");
    assertThat(r.headers().firstValue("Allow")).hasValue("OPTIONS, GET, PUT, PATCH");
    assertError(daemon.data("GET", "images/" + "x".repeat(40), null), 403, "no such ticket");
  }
}
