package dev.intact.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Transport;

/**
 * Ticket management on a daemon's control service, over its unix socket or loopback port, so nobody
 * needs curl: {@code intact ticket add|show|extend|remove}.
 */
@SuppressWarnings("try") // close() waits for the connection to shut down: InterruptedException
public final class ControlClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Transport transport;
  private final URI base;
  private final String where;
  private final String token;

  private ControlClient(Transport transport, URI base, String where, String token)
      throws IOException {
    this.http = new HttpClient();
    this.transport = transport;
    this.base = base;
    this.where = where;
    this.token = token;
    try {
      http.start();
    } catch (Exception e) {
      throw new IOException("cannot start the HTTP client: " + e.getMessage(), e);
    }
  }

  /** The control service on a unix socket. */
  public static ControlClient unixSocket(Path socket) throws IOException {
    return new ControlClient(
        new Transport.TCPUnix(socket),
        URI.create("http://localhost/tickets/"),
        "unix:" + socket,
        null);
  }

  /**
   * The control service on loopback TCP, which any local user can reach: every request carries the
   * daemon's secret, read from {@code tokenFile} (the daemon's {@code control.token}).
   *
   * @throws IOException naming the token file if it cannot be read
   */
  public static ControlClient loopback(int port, Path tokenFile) throws IOException {
    String token;
    try {
      token = java.nio.file.Files.readString(tokenFile).strip();
    } catch (IOException e) {
      throw new IOException(
          "cannot read the control token file "
              + tokenFile
              + " ("
              + e.getClass().getSimpleName()
              + "); run as the daemon's user or pass --control-token-file",
          e);
    }
    URI base = URI.create("http://127.0.0.1:" + port + "/tickets/");
    return new ControlClient(Transport.TCP_IP, base, base.toString(), token);
  }

  /** Adds (or replaces) ticket {@code id}; {@code ticket} holds the spec's fields. */
  public void add(String id, Map<String, Object> ticket) throws IOException {
    send(HttpMethod.PUT, id, JSON.writeValueAsString(ticket), "add ticket");
  }

  /** The ticket as the daemon shows it (JSON). */
  public String show(String id) throws IOException {
    return send(HttpMethod.GET, id, null, "show ticket");
  }

  public void extend(String id, long timeoutSeconds) throws IOException {
    send(HttpMethod.PATCH, id, "{\"timeout\":" + timeoutSeconds + "}", "extend ticket");
  }

  public void remove(String id) throws IOException {
    send(HttpMethod.DELETE, id, null, "remove ticket");
  }

  private String send(HttpMethod method, String id, String body, String what) throws IOException {
    Request r =
        http.newRequest(base.resolve(id))
            .method(method)
            .transport(transport)
            .timeout(60, TimeUnit.SECONDS);
    if (token != null) {
      r.headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token));
    }
    if (body != null) {
      r.body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8));
    }
    ContentResponse response;
    try {
      response = r.send();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + " interrupted");
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException(
          "cannot reach the control service at " + where + ": " + cause.getMessage(), e);
    }
    String text = response.getContentAsString();
    if (response.getStatus() / 100 != 2) {
      throw new ImageServerException(
          what + " at " + where, response.getStatus(), text.strip().lines().findFirst().orElse(""));
    }
    return text;
  }

  @Override
  public void close() throws IOException {
    try {
      http.stop();
    } catch (Exception e) {
      throw new IOException("cannot stop the HTTP client: " + e.getMessage(), e);
    }
  }
}
