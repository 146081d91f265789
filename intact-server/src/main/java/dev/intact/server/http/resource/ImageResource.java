package dev.intact.server.http.resource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.WritableImage;
import dev.intact.core.posix.BounceBuffers;
import dev.intact.server.DataApi;
import dev.intact.server.ServerConfig;
import dev.intact.server.http.BlockingBody;
import dev.intact.server.http.Exchange;
import dev.intact.server.http.HttpError;
import dev.intact.server.http.RangeHeaders;
import dev.intact.server.http.Route;
import dev.intact.server.http.wire.ImageOptionsJson;
import dev.intact.server.ticket.Ticket;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;

/**
 * {@code /images/{ticket}}: imageio's image resource. OPTIONS says what the daemon supports, GET
 * streams bytes (all, or a {@code Range}), PUT writes a body (all, or a {@code Content-Range}),
 * PATCH zeroes a range or flushes.
 */
final class ImageResource {
  private static final int CHUNK = 1 << 20;
  private static final String ALLOW = "OPTIONS, GET, PUT, PATCH";

  private final TicketRequests tickets;
  private final ServerConfig config;
  private final DataApi api;

  ImageResource(TicketRequests tickets, ServerConfig config, DataApi api) {
    this.tickets = tickets;
    this.config = config;
    this.api = api;
  }

  Route route() {
    return Route.at("/images/{ticket}")
        .on("OPTIONS", this::options)
        .on("GET", this::get)
        .on("PUT", this::put)
        .on("PATCH", this::patch);
  }

  private void options(Exchange ex, Map<String, String> p) throws Exception {
    ex.response().getHeaders().put(HttpHeader.ALLOW, ALLOW);
    ImageOptionsJson options =
        new ImageOptionsJson(api.features(), config.maxReaders(), config.maxWriters());
    String id = p.get("ticket");
    if (id.equals("*")) {
      ex.json(200, options);
      return;
    }
    tickets.run(
        ex,
        id,
        false,
        t -> {
          if (!t.spec().canWrite()) {
            ex.response().getHeaders().put(HttpHeader.ALLOW, "OPTIONS, GET");
            ex.json(
                200,
                new ImageOptionsJson(
                    api.readOnlyFeatures(), config.maxReaders(), config.maxWriters()));
            return;
          }
          ex.json(200, options);
        });
  }

  private void get(Exchange ex, Map<String, String> p) throws Exception {
    tickets.run(
        ex,
        p.get("ticket"),
        false,
        t -> {
          long size = t.size();
          String rangeHeader = ex.header(HttpHeader.RANGE);
          ByteRange range =
              rangeHeader == null ? ByteRange.whole(size) : RangeHeaders.range(rangeHeader, size);
          WritableImage image = t.image();
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
              image.readFully(pos, buf, 0, n);
              out.write(buf, 0, n);
              pos += n;
              t.addTransferred(n);
            }
          }
          ex.callback().succeeded();
        });
  }

  private void put(Exchange ex, Map<String, String> p) throws Exception {
    tickets.run(
        ex,
        p.get("ticket"),
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
          WritableImage image = t.image();
          long written = receive(ex, t, image, offset, max);
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
            image.flush();
          }
          ex.empty(200);
        });
  }

  /**
   * Copies the body to [offset, offset + max); a longer body is refused after that range.
   *
   * <p>The bytes go to the storage past the page cache ({@link WritableImage#writeDirect}: O_DIRECT
   * for files and devices), as ovirt-imageio's file backend writes them. Through the page cache,
   * each byte was copied once more by the kernel into a freshly allocated page, and that copy was
   * most of the daemon's CPU in a verified upload on the benchmark machine (BENCHMARKS.md,
   * "Verified upload: the daemon writes past the page cache"); the flush and the checksum job's
   * O_DIRECT read-back after it then also found the data already on the disk. Each piece is copied
   * from the decrypted chunks into its aligned buffer ({@link BlockingBody}), at the offset's
   * distance from a 4 KiB boundary, so that only a request's first and last partial blocks go
   * through the page cache.
   */
  private static long receive(Exchange ex, Ticket t, WritableImage image, long offset, long max)
      throws Exception {
    MemorySegment direct = BounceBuffers.take();
    try (BlockingBody body = new BlockingBody(ex.request())) {
      long written = 0;
      while (written < max) {
        t.checkNotCancelled();
        int skew = (int) Math.floorMod(offset + written, (long) BounceBuffers.ALIGNMENT);
        int want = (int) Math.min(BounceBuffers.SIZE - skew, max - written);
        int filled = body.read(direct, skew, want);
        if (filled > 0) {
          image.writeDirect(offset + written, direct.asSlice(skew, filled));
          written += filled;
          t.addTransferred(filled);
        }
        if (filled < want) {
          return written;
        }
      }
      if (body.hasMore()) {
        throw HttpError.rangeNotSatisfiable(
            "request body runs past "
                + (offset + max)
                + " (the end of its range); bytes up to "
                + (offset + max)
                + " were written");
      }
      return written;
    } finally {
      BounceBuffers.give(direct);
    }
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

  private void patch(Exchange ex, Map<String, String> p) throws Exception {
    JsonNode body = ex.readJson();
    if (!body.isObject() || !body.path("op").isTextual()) {
      throw HttpError.badRequest("PATCH body must be a JSON object with a string 'op'");
    }
    String op = body.get("op").asText();
    switch (op) {
      case "flush" ->
          tickets.run(
              ex,
              p.get("ticket"),
              true,
              t -> {
                t.image().flush();
                ex.empty(200);
              });
      case "zero" -> tickets.run(ex, p.get("ticket"), true, t -> zero(ex, body, t));
      default -> throw HttpError.badRequest("PATCH op '" + op + "' is not one of zero, flush");
    }
  }

  private static void zero(Exchange ex, JsonNode body, Ticket t) throws Exception {
    long offset = nonNegative(body, "offset");
    long length = nonNegative(body, "size");
    boolean flush = body.path("flush").asBoolean(false);
    ImageRange.ofLength("zero", offset, length, t.size());
    WritableImage image = t.image();
    if (Boolean.FALSE.equals(t.spec().sparse())) {
      // A preallocated image keeps its space: ZERO_RANGE, not a punched hole.
      image.zeroAllocated(offset, length);
    } else {
      image.zero(offset, length);
    }
    t.addTransferred(length);
    if (flush) {
      image.flush();
    }
    ex.empty(200);
  }

  private static long nonNegative(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw HttpError.badRequest("field '" + field + "' is required");
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
}
