package dev.intact.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.io.ByteRange;
import dev.intact.core.io.Extent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The HTTP side of one image on a daemon ({@code https://host:port/images/TICKET}): every request
 * the client makes, each failing with {@link ImageServerException} carrying the daemon's reason.
 * Thread-safe; the JDK client pools one connection per concurrent request.
 */
public final class ImageClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

  /** What {@code OPTIONS} told about the daemon. */
  public record Capabilities(List<String> features, int maxReaders, int maxWriters) {}

  private final HttpClient http;
  private final URI url;
  private final Capabilities capabilities;

  private ImageClient(HttpClient http, URI url, Capabilities capabilities) {
    this.http = http;
    this.url = url;
    this.capabilities = capabilities;
  }

  /**
   * Connects to the first of {@code urls} that answers {@code OPTIONS} (a direct URL first, then a
   * proxy URL, as imageio clients fall back).
   *
   * @throws IOException from the last URL tried when none answers
   */
  public static ImageClient connect(HttpClient http, List<URI> urls) throws IOException {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no image URL given");
    }
    IOException last = null;
    for (URI u : urls) {
      try {
        HttpResponse<byte[]> r =
            send(
                http,
                HttpRequest.newBuilder(u).method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
                "OPTIONS " + describe(u));
        JsonNode body = JSON.readTree(r.body());
        List<String> features = new ArrayList<>();
        body.path("features").forEach(f -> features.add(f.asText()));
        return new ImageClient(
            http,
            u,
            new Capabilities(
                features, body.path("max_readers").asInt(1), body.path("max_writers").asInt(1)));
      } catch (ConnectException e) {
        last = new IOException("cannot connect to " + describe(u) + ": " + e.getMessage(), e);
      } catch (IOException e) {
        last = e;
        if (e instanceof ImageServerException) {
          // The daemon answered: a proxy would not know the ticket any better.
          throw e;
        }
      }
    }
    throw last;
  }

  /** The URL with the ticket id shortened: safe for messages and logs. */
  public static String describe(URI u) {
    String path = u.getPath();
    int slash = path.lastIndexOf('/');
    String id = path.substring(slash + 1);
    String shown = id.length() <= 4 ? id : id.substring(0, 4) + "…";
    return u.getScheme() + "://" + u.getAuthority() + path.substring(0, slash + 1) + shown;
  }

  public String describe() {
    return describe(url);
  }

  public Capabilities capabilities() {
    return capabilities;
  }

  private static HttpResponse<byte[]> send(HttpClient http, HttpRequest.Builder b, String what)
      throws IOException {
    HttpResponse<byte[]> r;
    try {
      r = http.send(b.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + " interrupted");
    }
    if (r.statusCode() / 100 != 2) {
      String reason = new String(r.body(), StandardCharsets.UTF_8).strip();
      reason = reason.lines().findFirst().orElse("(no reason given)");
      throw new ImageServerException(what, r.statusCode(), reason);
    }
    return r;
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder b, String what) throws IOException {
    return send(http, b, what + " " + describe());
  }

  private URI sub(String path) {
    return URI.create(url.toString() + path);
  }

  /** The image's extents in {@code [start, start + length)}, or all of them when length < 0. */
  public List<Extent> extents(long start, long length) throws IOException {
    String q =
        "/extents?context=zero" + (length >= 0 ? "&start=" + start + "&length=" + length : "");
    JsonNode body =
        JSON.readTree(send(HttpRequest.newBuilder(sub(q)).GET(), "GET extents of").body());
    List<Extent> out = new ArrayList<>();
    for (JsonNode e : body) {
      out.add(
          new Extent(e.get("start").asLong(), e.get("length").asLong(), e.get("zero").asBoolean()));
    }
    return out;
  }

  /** The image's size: where its extents end. */
  public long size() throws IOException {
    List<Extent> all = extents(0, -1);
    return all.isEmpty() ? 0 : all.getLast().end();
  }

  /** Reads {@code length} bytes at {@code position} into {@code dst}. */
  public void read(long position, byte[] dst, int offset, int length) throws IOException {
    HttpResponse<byte[]> r =
        send(
            HttpRequest.newBuilder(url)
                .header("Range", "bytes=" + position + "-" + (position + length - 1))
                .GET(),
            "GET [" + position + ", " + (position + length) + ") of");
    if (r.body().length != length) {
      throw new IOException(
          "GET ["
              + position
              + ", "
              + (position + length)
              + ") of "
              + describe()
              + " returned "
              + r.body().length
              + " bytes");
    }
    System.arraycopy(r.body(), 0, dst, offset, length);
  }

  /** Writes {@code length} bytes at {@code position} without flushing. */
  public void write(long position, byte[] src, int offset, int length) throws IOException {
    send(
        HttpRequest.newBuilder(URI.create(url + "?flush=n"))
            .header("Content-Range", "bytes " + position + "-" + (position + length - 1) + "/*")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(src, offset, length)),
        "PUT [" + position + ", " + (position + length) + ") to");
  }

  /** Makes {@code [position, position + length)} read as zeros without sending them. */
  public void zero(long position, long length) throws IOException {
    patch(
        "{\"op\":\"zero\",\"offset\":" + position + ",\"size\":" + length + ",\"flush\":false}",
        "zero [" + position + ", " + (position + length) + ") of");
  }

  public void flush() throws IOException {
    patch("{\"op\":\"flush\"}", "flush");
  }

  private void patch(String json, String what) throws IOException {
    send(
        HttpRequest.newBuilder(url)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json)),
        what);
  }

  /**
   * Runs a checksum job over {@code range} on the daemon (it flushes and reads its storage) and
   * waits for the result.
   *
   * @throws IOException if the job fails, naming the daemon's reason
   */
  public Checksum checksum(ChecksumType type, ByteRange range) throws IOException {
    ObjectNode req = JSON.createObjectNode();
    req.put("start_offset", range.start());
    req.put("end_offset", range.end());
    req.put("checksum_algorithm", type.name());
    if (type instanceof BlockHashList b) {
      req.put("block_size", b.blockSize());
    } else {
      req.putNull("block_size");
    }
    HttpResponse<byte[]> started =
        send(
            HttpRequest.newBuilder(sub("/checksum-jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(req))),
            "start checksum job " + range + " on");
    String job = JSON.readTree(started.body()).get("job_id").asText();
    URI status = sub("/checksum-jobs/" + job);
    long pauseNanos = 1_000_000;
    try {
      while (true) {
        JsonNode s =
            JSON.readTree(
                send(HttpRequest.newBuilder(status).GET(), "poll checksum job on").body());
        switch (s.path("execution_status").asText()) {
          case "finished" -> {
            return new Checksum(
                type,
                HashCode.parse(s.get("checksum_value").asText(), type.digestLength(), false),
                range.length());
          }
          case "failed" ->
              throw new IOException(
                  "checksum job on " + describe() + " failed: " + s.path("error_message").asText());
          default -> {
            LockSupport.parkNanos(pauseNanos);
            pauseNanos = Math.min(pauseNanos * 2, 200_000_000);
            if (Thread.interrupted()) {
              throw new InterruptedIOException("waiting for a checksum job interrupted");
            }
          }
        }
      }
    } finally {
      try {
        send(HttpRequest.newBuilder(status).DELETE(), "forget checksum job on");
      } catch (IOException e) {
        // A job the daemon already dropped (ticket removed) needs no cleanup.
      }
    }
  }

  /** The per-block digests of {@code range} as stored on the daemon. */
  public List<HashCode> blockDigests(HashAlgorithm inner, int blockSize, ByteRange range)
      throws IOException {
    URI u =
        sub(
            "/block-digests?algorithm="
                + inner.name()
                + "&block_size="
                + blockSize
                + "&start="
                + range.start()
                + "&length="
                + range.length());
    JsonNode body =
        JSON.readTree(send(HttpRequest.newBuilder(u).GET(), "GET block digests of").body());
    List<HashCode> out = new ArrayList<>();
    for (JsonNode d : body.get("digests")) {
      out.add(HashCode.parse(d.asText(), inner.digestLength(), false));
    }
    return out;
  }
}
