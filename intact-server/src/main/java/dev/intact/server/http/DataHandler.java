package dev.intact.server.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import dev.intact.server.ServerConfig;
import dev.intact.server.image.ImageBackend;
import dev.intact.server.job.ChecksumJob;
import dev.intact.server.job.ChecksumJobs;
import dev.intact.server.ticket.Ticket;
import dev.intact.server.ticket.TicketStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The data service: imageio's {@code /images/{ticket}} API plus Intact's block digests and checksum
 * jobs (also under Coriolis's {@code /api/v2/device/{ticket}/checksumJob}).
 */
public final class DataHandler extends Handler.Abstract {
  private static final int CHUNK = 1 << 20;

  /** At most this many block digests per request (the spec's bound). */
  public static final int MAX_DIGEST_BLOCKS = 65_536;

  private final TicketStore tickets;
  private final ChecksumJobs jobs;
  private final ServerConfig config;

  public DataHandler(TicketStore tickets, ChecksumJobs jobs, ServerConfig config) {
    this.tickets = tickets;
    this.jobs = jobs;
    this.config = config;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange ex = new Exchange(request, response, callback, config.maxJsonBytes());
    try {
      route(ex, Request.getPathInContext(request).split("/", -1));
    } catch (Throwable t) {
      ErrorHandling.respond(ex, t);
    }
    return true;
  }

  private void route(Exchange ex, String[] p) throws Exception {
    String m = ex.method();
    if (p.length >= 3 && p[0].isEmpty() && p[1].equals("images") && !p[2].isEmpty()) {
      String id = p[2];
      if (p.length == 3) {
        switch (m) {
          case "OPTIONS" -> options(ex, id);
          case "GET" -> get(ex, id);
          case "PUT" -> put(ex, id);
          case "PATCH" -> patch(ex, id);
          default -> methodNotAllowed(ex, "OPTIONS, GET, PUT, PATCH");
        }
        return;
      }
      String sub = p[3];
      if (p.length == 4 && sub.equals("extents")) {
        only(ex, "GET");
        extents(ex, id);
        return;
      }
      if (p.length == 4 && sub.equals("checksum")) {
        only(ex, "GET");
        checksum(ex, id);
        return;
      }
      if (p.length == 5 && sub.equals("checksum") && p[4].equals("algorithms")) {
        only(ex, "GET");
        ex.json(200, Map.of("algorithms", ImageioNames.all()));
        return;
      }
      if (p.length == 4 && sub.equals("block-digests")) {
        only(ex, "GET");
        blockDigests(ex, id);
        return;
      }
      if (sub.equals("checksum-jobs")) {
        jobRoute(ex, id, p, 4);
        return;
      }
    }
    if (p.length >= 6
        && p[0].isEmpty()
        && p[1].equals("api")
        && p[2].equals("v2")
        && p[3].equals("device")
        && p[5].equals("checksumJob")) {
      jobRoute(ex, p[4], p, 6);
      return;
    }
    throw HttpError.notFound(
        "no such resource: " + Redaction.path(Request.getPathInContext(ex.request())));
  }

  private static void only(Exchange ex, String method) {
    if (!ex.method().equals(method)) {
      methodNotAllowed(ex, method);
    }
  }

  private static void methodNotAllowed(Exchange ex, String allow) {
    ex.response().getHeaders().put(HttpHeader.ALLOW, allow);
    throw new HttpError(
        405, "method " + ex.method() + " is not allowed here (allowed: " + allow + ")");
  }

  /** Runs {@code body} inside the ticket's request bracket. */
  private interface TicketWork {
    void run(Ticket ticket) throws Exception;
  }

  private void withTicket(Exchange ex, String id, boolean write, TicketWork work) throws Exception {
    Ticket ticket = tickets.get(id);
    // Closing the connection fails a write blocked on a client that stopped reading.
    Runnable abort =
        () -> ex.request().getConnectionMetaData().getConnection().getEndPoint().close();
    ticket.begin(write, abort);
    try {
      work.run(ticket);
    } finally {
      ticket.end(abort);
    }
  }

  // ---- OPTIONS / GET / PUT / PATCH on the image ----

  record Options(
      @JsonProperty("features") List<String> features,
      @JsonProperty("max_readers") int maxReaders,
      @JsonProperty("max_writers") int maxWriters) {}

  private void options(Exchange ex, String id) throws Exception {
    ex.response().getHeaders().put(HttpHeader.ALLOW, "OPTIONS, GET, PUT, PATCH");
    Options options =
        new Options(
            List.of("checksum", "extents", "zero", "flush", "block-digests", "checksum-jobs"),
            config.maxReaders(),
            config.maxWriters());
    if (id.equals("*")) {
      ex.json(200, options);
      return;
    }
    withTicket(
        ex,
        id,
        false,
        t -> {
          if (!t.spec().canWrite()) {
            ex.response().getHeaders().put(HttpHeader.ALLOW, "OPTIONS, GET");
          }
          ex.json(200, options);
        });
  }

  private void get(Exchange ex, String id) throws Exception {
    withTicket(
        ex,
        id,
        false,
        t -> {
          long size = t.size();
          String rangeHeader = ex.header(HttpHeader.RANGE);
          ByteRange range =
              rangeHeader == null ? ByteRange.whole(size) : RangeHeaders.range(rangeHeader, size);
          ImageBackend backend = t.backend();
          Response response = ex.response();
          response.setStatus(rangeHeader == null ? 200 : 206);
          response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
          response.getHeaders().put(HttpHeader.CONTENT_LENGTH, range.length());
          if (rangeHeader != null) {
            response
                .getHeaders()
                .put(
                    HttpHeader.CONTENT_RANGE,
                    "bytes " + range.start() + "-" + (range.end() - 1) + "/" + size);
          }
          byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(1, range.length()))];
          try (OutputStream out = Content.Sink.asOutputStream(response)) {
            for (long pos = range.start(); pos < range.end(); ) {
              t.checkNotCancelled();
              int n = (int) Math.min(buf.length, range.end() - pos);
              backend.read(pos, buf, 0, n);
              out.write(buf, 0, n);
              pos += n;
              t.addTransferred(n);
            }
          }
          ex.callback().succeeded();
        });
  }

  private void put(Exchange ex, String id) throws Exception {
    withTicket(
        ex,
        id,
        true,
        t -> {
          long size = t.size();
          long declared = ex.request().getLength();
          String contentRange = ex.header(HttpHeader.CONTENT_RANGE);
          long offset;
          long max;
          boolean exact;
          if (contentRange != null) {
            ByteRange written = RangeHeaders.contentRange(contentRange, size);
            offset = written.start();
            max = written.length();
            exact = true;
            if (declared >= 0 && declared != max) {
              throw HttpError.badRequest(
                  "Content-Length "
                      + declared
                      + " does not match Content-Range '"
                      + contentRange
                      + "'");
            }
          } else {
            offset = 0;
            if (declared > size) {
              throw HttpError.rangeNotSatisfiable(
                  "body of "
                      + declared
                      + " bytes is larger than the image (size "
                      + size
                      + " bytes)");
            }
            max = declared >= 0 ? declared : size;
            exact = declared >= 0;
          }
          boolean flush = parseFlush(ex.query("flush"));
          ImageBackend backend = t.backend();
          long written = receive(ex, t, backend, offset, max);
          if (written < max && exact) {
            throw HttpError.badRequest(
                "request body ended after "
                    + written
                    + " of "
                    + max
                    + " bytes (bytes up to "
                    + (offset + written)
                    + " were written)");
          }
          if (flush) {
            backend.flush();
          }
          ex.empty(200);
        });
  }

  /** Copies the body to [offset, offset + max); a longer body is refused after that range. */
  private static long receive(Exchange ex, Ticket t, ImageBackend backend, long offset, long max)
      throws Exception {
    byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(1, max))];
    long written = 0;
    try (InputStream in = Content.Source.asInputStream(ex.request())) {
      while (written < max) {
        t.checkNotCancelled();
        int want = (int) Math.min(buf.length, max - written);
        int filled = in.readNBytes(buf, 0, want);
        if (filled > 0) {
          backend.write(offset + written, buf, 0, filled);
          written += filled;
          t.addTransferred(filled);
        }
        if (filled < want) {
          return written;
        }
      }
      if (in.read() >= 0) {
        throw HttpError.rangeNotSatisfiable(
            "request body runs past "
                + (offset + max)
                + " (the end of its range); bytes up to "
                + (offset + max)
                + " were written");
      }
    }
    return written;
  }

  private static boolean parseFlush(String v) {
    if (v == null || v.equals("y")) {
      return true;
    }
    if (v.equals("n")) {
      return false;
    }
    throw HttpError.badRequest("query parameter 'flush' must be y or n, not '" + v + "'");
  }

  private void patch(Exchange ex, String id) throws Exception {
    JsonNode body = ex.readJson();
    if (!body.isObject() || !body.path("op").isTextual()) {
      throw HttpError.badRequest("PATCH body must be a JSON object with a string 'op'");
    }
    String op = body.get("op").asText();
    switch (op) {
      case "flush" ->
          withTicket(
              ex,
              id,
              true,
              t -> {
                t.backend().flush();
                ex.empty(200);
              });
      case "zero" ->
          withTicket(
              ex,
              id,
              true,
              t -> {
                long offset = nonNegative(body, "offset", true);
                long length = nonNegative(body, "size", true);
                boolean flush = body.path("flush").asBoolean(false);
                if (offset > t.size() || length > t.size() - offset) {
                  throw HttpError.rangeNotSatisfiable(
                      "zero ["
                          + offset
                          + ", "
                          + (offset + length)
                          + ") is past the end of the image (size "
                          + t.size()
                          + " bytes)");
                }
                ImageBackend backend = t.backend();
                if (Boolean.FALSE.equals(t.spec().sparse())) {
                  // A preallocated image keeps its space: ZERO_RANGE, not a punched hole.
                  backend.zeroAllocated(offset, length);
                } else {
                  backend.zero(offset, length);
                }
                t.addTransferred(length);
                if (flush) {
                  backend.flush();
                }
                ex.empty(200);
              });
      default -> throw HttpError.badRequest("PATCH op '" + op + "' is not one of zero, flush");
    }
  }

  private static long nonNegative(JsonNode body, String field, boolean required) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw HttpError.badRequest("field '" + field + "' is required");
      }
      return -1;
    }
    if (!v.canConvertToExactIntegral() || !v.canConvertToLong()) {
      throw HttpError.badRequest("field '" + field + "' must be an integer, not " + v);
    }
    long n = v.asLong();
    if (n < 0) {
      throw HttpError.badRequest("field '" + field + "' is negative: " + n);
    }
    return n;
  }

  // ---- extents, checksums, block digests ----

  record ExtentJson(
      @JsonProperty("start") long start,
      @JsonProperty("length") long length,
      @JsonProperty("zero") boolean zero,
      @JsonProperty("hole") boolean hole) {}

  private void extents(Exchange ex, String id) throws Exception {
    String context = ex.query("context");
    if (context != null && !context.equals("zero")) {
      throw HttpError.badRequest("extents context '" + context + "' is not supported (use zero)");
    }
    withTicket(
        ex,
        id,
        false,
        t -> {
          ByteRange range = queryRange(ex, t.size());
          ImageBackend backend = t.backend();
          List<ExtentJson> out = new ArrayList<>();
          for (long pos = range.start(); pos < range.end(); ) {
            Extent e = backend.extentAt(pos, range.end());
            ExtentJson last = out.isEmpty() ? null : out.getLast();
            if (last != null && last.zero() == e.zero()) {
              out.set(
                  out.size() - 1,
                  new ExtentJson(last.start(), last.length() + e.length(), e.zero(), e.zero()));
            } else {
              out.add(new ExtentJson(e.start(), e.length(), e.zero(), e.zero()));
            }
            pos = e.end();
          }
          ex.json(200, out);
        });
  }

  /** {@code start}/{@code length} query parameters, defaulting to the whole image. */
  private static ByteRange queryRange(Exchange ex, long size) {
    long start = ex.queryLong("start", 0);
    long length = ex.queryLong("length", -1);
    if (start > size) {
      throw HttpError.rangeNotSatisfiable(
          "start " + start + " is past the end of the image (size " + size + " bytes)");
    }
    if (length < 0) {
      length = size - start;
    }
    if (length > size - start) {
      throw HttpError.rangeNotSatisfiable(
          "range ["
              + start
              + ", "
              + (start + length)
              + ") is past the end of the image (size "
              + size
              + " bytes)");
    }
    return new ByteRange(start, start + length);
  }

  record ChecksumJson(
      @JsonProperty("algorithm") String algorithm,
      @JsonProperty("block_size") int blockSize,
      @JsonProperty("checksum") String checksum) {}

  private void checksum(Exchange ex, String id) throws Exception {
    String alg = ex.query("algorithm");
    HashAlgorithm inner = ImageioNames.algorithm(alg == null ? "blake2b" : alg);
    long blockSize =
        ex.queryLong("block_size", BlockHashList.Construction.IMAGEIO.defaultBlockSize());
    BlockHashList type =
        new BlockHashList(
            BlockHashList.Construction.IMAGEIO,
            inner,
            (int) Math.min(blockSize, Integer.MAX_VALUE));
    withTicket(
        ex,
        id,
        false,
        t -> {
          ImageBackend backend = t.backend();
          backend.flush();
          Checksum c;
          try (Image storage = backend.storage()) {
            c =
                jobs.engine()
                    .compute(storage, type, ByteRange.whole(t.size()), ProgressListener.NONE);
          }
          ex.json(
              200, new ChecksumJson(ImageioNames.name(inner), type.blockSize(), c.value().toHex()));
        });
  }

  record BlockDigestsJson(
      @JsonProperty("algorithm") String algorithm,
      @JsonProperty("block_size") int blockSize,
      @JsonProperty("start") long start,
      @JsonProperty("digests") List<String> digests) {}

  private void blockDigests(Exchange ex, String id) throws Exception {
    String alg = ex.query("algorithm");
    HashAlgorithm inner = ImageioNames.algorithm(alg == null ? "sha256" : alg);
    long blockSize =
        ex.queryLong("block_size", BlockHashList.Construction.BLKHASH.defaultBlockSize());
    if (blockSize < 4096 || blockSize > (64 << 20) || blockSize % 4096 != 0) {
      throw HttpError.badRequest(
          "block_size " + blockSize + " must be a multiple of 4096 from 4096 to 67108864");
    }
    withTicket(
        ex,
        id,
        false,
        t -> {
          ByteRange range = queryRange(ex, t.size());
          if (range.start() % blockSize != 0) {
            throw HttpError.badRequest(
                "start " + range.start() + " is not a multiple of block_size " + blockSize);
          }
          long blocks = (range.length() + blockSize - 1) / blockSize;
          if (blocks > MAX_DIGEST_BLOCKS) {
            throw HttpError.badRequest(
                "range covers "
                    + blocks
                    + " blocks; at most "
                    + MAX_DIGEST_BLOCKS
                    + " per request");
          }
          ImageBackend backend = t.backend();
          backend.flush();
          List<HashCode> digests;
          try (Image storage = backend.storage()) {
            digests = jobs.engine().blockDigests(storage, inner, (int) blockSize, range);
          }
          ex.json(
              200,
              new BlockDigestsJson(
                  inner.name(),
                  (int) blockSize,
                  range.start(),
                  digests.stream().map(HashCode::toHex).toList()));
        });
  }

  // ---- checksum jobs ----

  record JobRequest(
      @JsonProperty("start_offset") Long startOffset,
      @JsonProperty("end_offset") Long endOffset,
      @JsonProperty("checksum_algorithm") String checksumAlgorithm,
      @JsonProperty("block_size") Long blockSize) {}

  private void jobRoute(Exchange ex, String id, String[] p, int base) throws Exception {
    if (p.length == base) {
      only(ex, "POST");
      JobRequest req = ex.readJson(JobRequest.class);
      startJob(ex, id, req);
      return;
    }
    if (p.length == base + 1 && !p[base].isEmpty()) {
      String job = p[base];
      switch (ex.method()) {
        case "GET" -> {
          Ticket t = tickets.get(id);
          ex.json(200, jobs.get(t, job).status());
        }
        case "DELETE" -> {
          jobs.remove(tickets.get(id), job);
          ex.empty(204);
        }
        default -> methodNotAllowed(ex, "GET, DELETE");
      }
      return;
    }
    throw HttpError.notFound(
        "no such resource: " + Redaction.path(Request.getPathInContext(ex.request())));
  }

  private void startJob(Exchange ex, String id, JobRequest req) throws Exception {
    long start = req.startOffset() == null ? 0 : req.startOffset();
    long end = req.endOffset() == null ? 0 : req.endOffset();
    if (start < 0 || end < 0) {
      throw HttpError.badRequest("start_offset and end_offset must not be negative");
    }
    String alg = req.checksumAlgorithm() == null ? "sha256" : req.checksumAlgorithm();
    if (alg.equalsIgnoreCase("blake2b")) {
      alg = "blake2b-256";
    }
    if (req.blockSize() != null && (req.blockSize() <= 0 || req.blockSize() > Integer.MAX_VALUE)) {
      throw HttpError.badRequest("block_size " + req.blockSize() + " is not valid");
    }
    ChecksumType type =
        ChecksumType.parse(
            alg, req.blockSize() == null ? OptionalLong.empty() : OptionalLong.of(req.blockSize()));
    withTicket(
        ex,
        id,
        false,
        t -> {
          long e = end == 0 ? t.size() : end;
          if (start > e || e > t.size()) {
            throw HttpError.rangeNotSatisfiable(
                "range ["
                    + start
                    + ", "
                    + e
                    + ") is outside the image (size "
                    + t.size()
                    + " bytes)");
          }
          ChecksumJob job = jobs.submit(t, type, new ByteRange(start, e));
          ex.json(202, Map.of("job_id", job.id()));
        });
  }
}
