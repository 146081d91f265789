package dev.intact.server;

import dev.intact.server.control.ControlToken;
import dev.intact.server.image.StorageFactory;
import dev.intact.server.ticket.TicketId;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real daemon on loopback with a fresh self-signed certificate, an image root in a temporary
 * directory, and a JDK HTTP client that trusts it. Shared with the client's tests (test-jar).
 */
@SuppressWarnings("try") // close() waits for the daemon to stop, so may be interrupted
public final class TestDaemon implements AutoCloseable {
  private final IntactServer server;
  private final Path root;
  private final HttpClient http;
  private final String controlToken;

  private TestDaemon(IntactServer server, Path root, HttpClient http, String controlToken) {
    this.server = server;
    this.root = root;
    this.http = http;
    this.controlToken = controlToken;
  }

  public static TestDaemon start(Path dir) throws Exception {
    return start(dir, StorageFactory.STORAGE, c -> c);
  }

  public static TestDaemon start(
      Path dir, StorageFactory storage, java.util.function.UnaryOperator<ServerConfig> configure)
      throws Exception {
    return start(dir, storage, configure, line -> {});
  }

  /** A daemon whose access log lines go to {@code accessLog}. */
  public static TestDaemon start(
      Path dir,
      StorageFactory storage,
      java.util.function.UnaryOperator<ServerConfig> configure,
      java.util.function.Consumer<String> accessLog)
      throws Exception {
    return start(dir, storage, configure, accessLog, DataApi.INTACT);
  }

  /**
   * A daemon serving only ovirt-imageio's API: no checksum jobs, no block digests, OPTIONS naming
   * imageio's features. Stands in for a real imageio daemon, which CI cannot run.
   */
  public static TestDaemon startImageio(Path dir, StorageFactory storage) throws Exception {
    return start(dir, storage, c -> c, line -> {}, DataApi.IMAGEIO);
  }

  private static TestDaemon start(
      Path dir,
      StorageFactory storage,
      java.util.function.UnaryOperator<ServerConfig> configure,
      java.util.function.Consumer<String> accessLog,
      DataApi api)
      throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    ServerConfig config =
        configure.apply(
            ServerConfig.defaults()
                .withDataHost("127.0.0.1")
                .withDataPort(0)
                .withControlPort(0)
                .withRoots(List.of(root))
                .withStateDir(dir.resolve("state")));
    IntactServer server = IntactServer.start(config, storage, accessLog, api);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(trusting(server.certificate()))
            .connectTimeout(Duration.ofSeconds(10))
            .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
            .build();
    String token =
        config.controlSocket().isPresent()
            ? null
            : ControlToken.read(IntactServer.controlTokenFile(config));
    return new TestDaemon(server, root, http, token);
  }

  /** An SSL context trusting exactly the PEM certificate in {@code cert}. */
  public static SSLContext trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "daemon", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  public IntactServer server() {
    return server;
  }

  public Path root() {
    return root;
  }

  public HttpClient http() {
    return http;
  }

  /** A file of {@code size} bytes (sparse) under the root. */
  public Path image(String name, long size) throws IOException {
    Path p = root.resolve(name);
    try (var f = new java.io.RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(size); // a hole: costs nothing, reads as zeros
    }
    return p;
  }

  /** Adds a ticket for {@code file} and returns its id. */
  public String addTicket(Path file, long size, boolean write) throws Exception {
    return addTicket(file.toUri().toString(), size, write);
  }

  /** Adds a ticket for {@code url} (a file URL or an nbd: URL) and returns its id. */
  public String addTicket(String url, long size, boolean write) throws Exception {
    String id = TicketId.random();
    String ops = write ? "[\"read\",\"write\"]" : "[\"read\"]";
    HttpResponse<String> r =
        control(
            "PUT",
            id,
            "{\"uuid\":\""
                + id
                + "\",\"url\":\""
                + url
                + "\",\"size\":"
                + size
                + ",\"ops\":"
                + ops
                + "}");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("adding a ticket failed: " + r.statusCode() + " " + r.body());
    }
    return id;
  }

  public HttpResponse<String> control(String method, String id, String body) throws Exception {
    return control(method, id, body, controlToken);
  }

  /** The control token the daemon made in its state directory (loopback TCP control only). */
  public String controlToken() {
    return controlToken;
  }

  /** A control request carrying {@code token} (none when null). */
  public HttpResponse<String> control(String method, String id, String body, String token)
      throws Exception {
    URI uri = server.controlUri().orElseThrow().resolve(id);
    HttpRequest.BodyPublisher pub =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, pub);
    if (token != null) {
      b.header("Authorization", ControlToken.SCHEME + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The data URL of a ticket: {@code https://127.0.0.1:port/images/ID}. */
  public URI imageUri(String id) {
    return server.dataUri().resolve(id);
  }

  public HttpResponse<String> data(String method, String pathAndQuery, String body)
      throws Exception {
    URI uri = server.dataUri().resolve("/" + pathAndQuery);
    HttpRequest.BodyPublisher pub =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    return http.send(
        HttpRequest.newBuilder(uri).method(method, pub).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Narrows the server's {@code close() throws Exception}: try-with-resources in tests must not be
   * able to swallow an interrupt (javac's "try" lint).
   */
  @Override
  public void close() throws IOException {
    http.close();
    try {
      server.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the test daemon", e);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("could not stop the test daemon", e);
    }
  }
}
