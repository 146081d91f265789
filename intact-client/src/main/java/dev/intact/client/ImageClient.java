package dev.intact.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The HTTP side of one image on a daemon ({@code https://host:port/images/TICKET}): every request
 * the client makes, each failing with {@link ImageServerException} carrying the daemon's reason.
 * Thread-safe; Jetty's client pools one connection per concurrent request. Data moves without
 * intermediate copies: a PUT body is the caller's array, a GET body is read into the caller's
 * array.
 */
public final class ImageClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long REQUEST_TIMEOUT_MINUTES = 10;

  /** The largest JSON answer: 65,536 block digests of 64 hex digits each, quoted. */
  private static final int MAX_ANSWER = 8 << 20;

  /**
   * What {@code OPTIONS} told about the daemon and the ticket: its features and limits, and the
   * methods its {@code Allow} header lists ({@code PUT} only for a ticket that allows writes).
   */
  public record Capabilities(
      List<String> features, int maxReaders, int maxWriters, List<String> allowed) {
    public boolean writable() {
      return allowed.contains("PUT");
    }

    /**
     * Whether the daemon runs checksum jobs over any range and type (Intact's daemon); an imageio
     * daemon does not, and offers only its synchronous {@code /checksum} of the whole image.
     */
    public boolean checksumJobs() {
      return features.contains("checksum-jobs");
    }

    /** Whether the daemon answers {@code /block-digests} (Intact's daemon; imageio does not). */
    public boolean blockDigests() {
      return features.contains("block-digests");
    }

    /** Whether the daemon answers imageio's {@code GET /images/{ticket}/checksum}. */
    public boolean wholeImageChecksum() {
      return features.contains("checksum");
    }
  }

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
   * @param http a started client ({@link TransferHttp#start})
   * @throws IOException from the last URL tried when none answers
   */
  public static ImageClient connect(HttpClient http, List<URI> urls) throws IOException {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no image URL given");
    }
    IOException last = null;
    for (URI u : urls) {
      try {
        Answer r =
            exchange(http.newRequest(u).method(HttpMethod.OPTIONS), "OPTIONS " + describe(u));
        JsonNode body = JSON.readTree(r.content());
        List<String> features = new ArrayList<>();
        body.path("features").forEach(f -> features.add(f.asText()));
        return new ImageClient(
            http,
            u,
            new Capabilities(
                features,
                body.path("max_readers").asInt(1),
                body.path("max_writers").asInt(1),
                allowed(r.headers().get(HttpHeader.ALLOW))));
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

  /**
   * The methods of an {@code Allow} header. A daemon that sends none (an older imageio) is taken to
   * allow everything, and a write it refuses is reported when it is tried.
   */
  private static List<String> allowed(String header) {
    if (header == null) {
      return List.of("OPTIONS", "GET", "PUT", "PATCH");
    }
    return java.util.Arrays.stream(header.split(",", -1)).map(String::strip).toList();
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

  /** A small answer of the daemon (JSON text, or empty), read whole. */
  private record Answer(HttpFields headers, String content) {}

  /**
   * Sends a request whose answer is small and checks its status. A daemon may answer an error
   * before it has taken the whole body (a full disk: 507) and close the connection; the sending
   * then fails here too, but when the answer arrived whole it is what the user hears, not "closed
   * the connection mid-transfer", which sent them looking for a stopped daemon.
   */
  private static Answer exchange(Request request, String what) throws IOException {
    CompletableFuture<Answer> done = new CompletableFuture<>();
    request
        .timeout(REQUEST_TIMEOUT_MINUTES, TimeUnit.MINUTES)
        .send(
            new BufferingResponseListener(MAX_ANSWER) {
              @Override
              public void onComplete(Result result) {
                Response r = result.getResponse();
                if (result.getResponseFailure() == null
                    && r.getStatus() != 0
                    && r.getStatus() / 100 != 2) {
                  done.completeExceptionally(
                      new ImageServerException(what, r.getStatus(), reason(getContentAsString())));
                } else if (result.isFailed()) {
                  done.completeExceptionally(failure(what, result.getFailure()));
                } else {
                  done.complete(new Answer(r.getHeaders(), getContentAsString()));
                }
              }
            });
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + " interrupted");
    } catch (ExecutionException e) {
      throw (IOException) e.getCause();
    }
  }

  private static IOException failure(String what, Throwable cause) {
    if (cause instanceof ConnectException c) {
      return c; // connect() tries the next URL
    }
    return new IOException(what + ": " + cause.getMessage(), cause);
  }

  private static String reason(String body) {
    return body.strip().lines().findFirst().orElse("(no reason given)");
  }

  private Answer send(Request request, String what) throws IOException {
    return exchange(request, what + " " + describe());
  }

  private URI sub(String path) {
    return URI.create(url.toString() + path);
  }

  /** The image's extents in {@code [start, start + length)}, or all of them when length < 0. */
  public List<Extent> extents(long start, long length) throws IOException {
    String q =
        "/extents?context=zero" + (length >= 0 ? "&start=" + start + "&length=" + length : "");
    JsonNode body = JSON.readTree(send(http.newRequest(sub(q)), "GET extents of").content());
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
    String what = "GET [" + position + ", " + (position + length) + ") of " + describe();
    InputStreamResponseListener listener = new InputStreamResponseListener();
    http.newRequest(url)
        .headers(h -> h.put(HttpHeader.RANGE, "bytes=" + position + "-" + (position + length - 1)))
        .timeout(REQUEST_TIMEOUT_MINUTES, TimeUnit.MINUTES)
        .send(listener);
    Response r;
    try {
      r = listener.get(REQUEST_TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + " interrupted");
    } catch (ExecutionException e) {
      throw failure(what, e.getCause() == null ? e : e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(what + " timed out", e);
    }
    try (InputStream in = listener.getInputStream()) {
      if (r.getStatus() / 100 != 2) {
        String body = new String(in.readNBytes(64 << 10), StandardCharsets.UTF_8);
        throw new ImageServerException(what, r.getStatus(), reason(body));
      }
      int n = in.readNBytes(dst, offset, length);
      if (n != length || in.read() >= 0) {
        throw new IOException(
            what + " returned " + (n != length ? n + " bytes" : "more than " + length + " bytes"));
      }
    }
  }

  /** Writes {@code length} bytes at {@code position} without flushing. */
  public void write(long position, byte[] src, int offset, int length) throws IOException {
    send(
        http.newRequest(URI.create(url + "?flush=n"))
            .method(HttpMethod.PUT)
            .headers(
                h ->
                    h.put(
                        HttpHeader.CONTENT_RANGE,
                        "bytes " + position + "-" + (position + length - 1) + "/*"))
            .body(
                new ByteBufferRequestContent(
                    "application/octet-stream", ByteBuffer.wrap(src, offset, length))),
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
        http.newRequest(url)
            .method(HttpMethod.PATCH)
            .body(new StringRequestContent("application/json", json, StandardCharsets.UTF_8)),
        what);
  }

  /**
   * The checksum of {@code range} as the daemon's storage holds it: a checksum job when the daemon
   * runs them (any type, any range), else imageio's synchronous {@code /checksum} (an imageio
   * block-hash list of the whole image only).
   *
   * @throws ChecksumUnavailableException if the daemon cannot compute this type over this range
   * @throws IOException if the daemon fails, naming its reason
   */
  public Checksum checksum(ChecksumType type, ByteRange range) throws IOException {
    if (capabilities.checksumJobs()) {
      return checksumJob(type, range);
    }
    String why = imageioChecksumRefusal(type, range);
    if (why != null) {
      throw new ChecksumUnavailableException(describe() + " " + why);
    }
    return imageioChecksum((BlockHashList) type, range.length());
  }

  /**
   * Why {@link #checksum} cannot compute {@code type} over {@code range} on a daemon without
   * checksum jobs, or null when imageio's {@code /checksum} can.
   */
  String imageioChecksumRefusal(ChecksumType type, ByteRange range) throws IOException {
    if (capabilities.checksumJobs()) {
      return null;
    }
    if (!capabilities.wholeImageChecksum()) {
      return "offers neither checksum jobs nor /checksum (OPTIONS features "
          + capabilities.features()
          + "): nothing there can verify the transfer; --no-verify skips verification";
    }
    if (!(type instanceof BlockHashList b)
        || b.construction() != BlockHashList.Construction.IMAGEIO) {
      return "has no checksum jobs, only imageio's /checksum: it computes imageio block-hash lists"
          + " (--checksum imageio[:ALG]), not "
          + type.name();
    }
    long size = size();
    if (range.start() != 0 || range.end() != size) {
      return "has no checksum jobs, only imageio's /checksum of the whole image [0, "
          + size
          + "): it cannot verify "
          + range;
    }
    return null;
  }

  /**
   * imageio's {@code GET /images/{ticket}/checksum?algorithm=&block_size=}: the daemon reads its
   * whole image while the client waits. The answer must name the algorithm and block size asked
   * for: a value of another construction would compare as a false mismatch, or worse, match.
   */
  Checksum imageioChecksum(BlockHashList type, long size) throws IOException {
    String alg = imageioName(type.inner());
    JsonNode body =
        JSON.readTree(
            send(
                    http.newRequest(
                        sub("/checksum?algorithm=" + alg + "&block_size=" + type.blockSize())),
                    "GET checksum of")
                .content());
    String gotAlg = body.path("algorithm").asText();
    long gotBlock = body.path("block_size").asLong(-1);
    if (!sameAlgorithm(gotAlg, type.inner())
        || gotBlock != type.blockSize()
        || !body.path("checksum").isTextual()) {
      throw new IOException(
          "GET checksum of "
              + describe()
              + " answered "
              + gotAlg
              + "/"
              + gotBlock
              + ", not the "
              + alg
              + "/"
              + type.blockSize()
              + " asked for");
    }
    return new Checksum(
        type, HashCode.parse(body.get("checksum").asText(), type.digestLength(), false), size);
  }

  /**
   * imageio names algorithms as Python's hashlib does: BLAKE2b-256 is {@code blake2b} (with
   * digest_size=32), SHA3-256 {@code sha3_256}.
   */
  static String imageioName(HashAlgorithm inner) {
    return switch (inner.name()) {
      case "blake2b-256" -> "blake2b";
      case "sha3-256" -> "sha3_256";
      default -> inner.name();
    };
  }

  private static boolean sameAlgorithm(String answered, HashAlgorithm asked) {
    if (answered.equals(imageioName(asked))) {
      return true;
    }
    try {
      return Algorithms.byName(answered).equals(asked);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Runs a checksum job over {@code range} on the daemon (it flushes and reads its storage) and
   * waits for the result.
   *
   * @throws IOException if the job fails, naming the daemon's reason
   */
  private Checksum checksumJob(ChecksumType type, ByteRange range) throws IOException {
    ObjectNode req = JSON.createObjectNode();
    req.put("start_offset", range.start());
    req.put("end_offset", range.end());
    req.put("checksum_algorithm", type.name());
    if (type instanceof BlockHashList b) {
      req.put("block_size", b.blockSize());
    } else {
      req.putNull("block_size");
    }
    Answer started =
        send(
            http.newRequest(sub("/checksum-jobs"))
                .method(HttpMethod.POST)
                .body(new BytesRequestContent("application/json", JSON.writeValueAsBytes(req))),
            "start checksum job " + range + " on");
    String job = JSON.readTree(started.content()).get("job_id").asText();
    URI status = sub("/checksum-jobs/" + job);
    long pauseNanos = 1_000_000;
    try {
      while (true) {
        JsonNode s = JSON.readTree(send(http.newRequest(status), "poll checksum job on").content());
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
        send(http.newRequest(status).method(HttpMethod.DELETE), "forget checksum job on");
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
    JsonNode body = JSON.readTree(send(http.newRequest(u), "GET block digests of").content());
    List<HashCode> out = new ArrayList<>();
    for (JsonNode d : body.get("digests")) {
      out.add(HashCode.parse(d.asText(), inner.digestLength(), false));
    }
    return out;
  }
}
