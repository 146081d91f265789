package dev.intact.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code intact.access} logger: time, service, client, method, the
 * resolved route with the ticket id shortened (see {@link Redaction}), status, bytes in and out,
 * duration.
 */
public final class AccessLog implements RequestLog {
  private static final Logger LOG = LoggerFactory.getLogger("intact.access");

  private final Consumer<String> sink;

  /** Lines go to the {@code intact.access} logger. */
  public AccessLog() {
    this(LOG::info);
  }

  /** Lines go to {@code sink} (tests read them there). */
  public AccessLog(Consumer<String> sink) {
    this.sink = sink;
  }

  @Override
  public void log(Request request, Response response) {
    ObjectNode line = Exchange.JSON.createObjectNode();
    line.put("time", Instant.now().toString());
    line.put("service", request.getConnectionMetaData().getConnector().getName());
    line.put("remote", String.valueOf(Request.getRemoteAddr(request)));
    line.put("method", request.getMethod());
    line.put("path", Redaction.logged(request));
    line.put("status", response.getStatus());
    line.put("bytes_in", request.getLength());
    line.put("bytes_out", Response.getContentBytesWritten(response));
    line.put("ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime()));
    sink.accept(line.toString());
  }
}
