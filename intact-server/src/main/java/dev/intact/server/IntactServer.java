package dev.intact.server;

import dev.intact.server.control.ControlSocket;
import dev.intact.server.control.ControlToken;
import dev.intact.server.http.AccessLog;
import dev.intact.server.http.ControlHandler;
import dev.intact.server.http.DataHandler;
import dev.intact.server.http.HeaderDeadlineConnectionFactory;
import dev.intact.server.http.resource.DataResources;
import dev.intact.server.image.StorageFactory;
import dev.intact.server.job.ChecksumJobs;
import dev.intact.server.ticket.ImageLocator;
import dev.intact.server.ticket.TicketStore;
import dev.intact.server.tls.ServerCertificate;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon: the HTTPS data service and the control service on one Jetty 12 server whose requests
 * run on virtual threads. Jetty over Helidon SE 4: measured on loopback TLS with curl
 * (docs/transfer.md), Jetty moved 2 GiB PUT bodies at 443–757 MB/s and GETs at ~1 GB/s where
 * Helidon managed 329–399 MB/s and 538–629 MB/s, and Jetty ships a unix-socket connector.
 */
@SuppressWarnings("try") // close() waits for the server threads, so may be interrupted
public final class IntactServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IntactServer.class);
  private static final String DATA = "data";
  private static final String CONTROL = "control";

  private final Server server;
  private final ServerConnector dataConnector;
  private final Connector controlConnector;
  private final ServerConfig config;
  private final Path certificate;
  private final TicketStore tickets;
  private final ChecksumJobs jobs;
  private final ScheduledExecutorService reaper;
  private final ScheduledFuture<?> reaping;

  private IntactServer(
      Server server,
      ServerConnector dataConnector,
      Connector controlConnector,
      ServerConfig config,
      Path certificate,
      TicketStore tickets,
      ChecksumJobs jobs,
      ScheduledExecutorService reaper,
      ScheduledFuture<?> reaping) {
    this.server = server;
    this.dataConnector = dataConnector;
    this.controlConnector = controlConnector;
    this.config = config;
    this.certificate = certificate;
    this.tickets = tickets;
    this.jobs = jobs;
    this.reaper = reaper;
    this.reaping = reaping;
  }

  public static IntactServer start(ServerConfig config) throws Exception {
    return start(config, StorageFactory.STORAGE);
  }

  /** Starts the daemon with storage opened by {@code storage} (tests inject faults there). */
  public static IntactServer start(ServerConfig config, StorageFactory storage) throws Exception {
    return start(config, storage, new AccessLog());
  }

  /** Starts the daemon with its access log lines going to {@code accessLog} (tests read them). */
  public static IntactServer start(
      ServerConfig config, StorageFactory storage, Consumer<String> accessLog) throws Exception {
    return start(config, storage, new AccessLog(accessLog));
  }

  /**
   * Starts the daemon serving only {@code api}'s data routes ({@link DataApi#IMAGEIO}: as an
   * ovirt-imageio daemon would, for the client's tests).
   */
  public static IntactServer start(
      ServerConfig config, StorageFactory storage, Consumer<String> accessLog, DataApi api)
      throws Exception {
    return start(config, storage, new AccessLog(accessLog), api);
  }

  private static IntactServer start(ServerConfig config, StorageFactory storage, AccessLog log)
      throws Exception {
    return start(config, storage, log, DataApi.INTACT);
  }

  private static IntactServer start(
      ServerConfig config, StorageFactory storage, AccessLog log, DataApi api) throws Exception {
    ServerCertificate.PemPair pem =
        config.cert().isPresent()
            ? new ServerCertificate.PemPair(config.cert().get(), config.key().get())
            : ServerCertificate.selfSigned(config.stateDir());

    ChecksumJobs jobs = new ChecksumJobs(config.maxChecksumJobs(), config.checksumThreads());
    TicketStore tickets =
        new TicketStore(
            new ImageLocator(
                config.roots(), config.devices(), config.nbdSocketDirs(), config.nbdHosts()),
            Clock.systemUTC(),
            storage,
            jobs::removeAll);

    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setName("intact-server");
    pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    // Requests run on virtual threads; platform threads only serve selectors and short tasks, so
    // those a burst of connections started need not linger: idle ones end after 5 s (Jetty's
    // default is a minute), and not one per period (Jetty's default), which after a burst of
    // twelve kept them a minute anyway.
    pool.setIdleTimeout(5_000);
    pool.setMaxEvictCount(Integer.MAX_VALUE);
    Server server = new Server(pool);
    server.setStopTimeout(5_000);

    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(ServerCertificate.keyStore(pem));
    ssl.setKeyStorePassword(ServerCertificate.STORE_PASSWORD);
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    // AEAD only, with forward secrecy: TLS 1.3's suites, and on TLS 1.2 ECDHE with AES-GCM or
    // ChaCha20-Poly1305 (no CBC: padding-oracle and Lucky13 history; no static RSA key exchange).
    ssl.setIncludeCipherSuites(
        "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_(ECDSA|RSA)_WITH_AES_(128|256)_GCM_SHA(256|384)",
        "TLS_ECDHE_(ECDSA|RSA)_WITH_CHACHA20_POLY1305_SHA256");
    HttpConfiguration https = new HttpConfiguration();
    https.setSendServerVersion(false);
    // Clients reach the daemon by IP as often as by name: do not insist the SNI name matches.
    https.addCustomizer(new SecureRequestCustomizer(false));
    SslConnectionFactory tls = new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString());
    // The JDK's AES-GCM runs its fast intrinsic on heap arrays only (4-5 GB/s on 16 KiB records,
    // 1-1.5 GB/s on direct buffers, measured here): PUT bodies are decrypted into heap buffers.
    tls.setDirectBuffersForDecryption(false);
    tls.setDirectBuffersForEncryption(false);
    // The idle timeout restarts with every byte: the header deadline bounds a request that trickles
    // its headers (slowloris) to the same span from its first byte, without timing bodies.
    ServerConnector data =
        new ServerConnector(
            server, tls, new HeaderDeadlineConnectionFactory(https, config.idleTimeout()));
    data.setName(DATA);
    data.setHost(config.dataHost());
    data.setPort(config.dataPort());
    data.setIdleTimeout(config.idleTimeout().toMillis());
    server.addConnector(data);

    HttpConfiguration plain = new HttpConfiguration();
    plain.setSendServerVersion(false);
    Connector control;
    Path staging = null;
    Optional<ControlToken> token = Optional.empty();
    if (config.controlSocket().isPresent()) {
      Path socket = config.controlSocket().get();
      ControlSocket.checkReplaceable(socket);
      staging = ControlSocket.stagingDirectory(socket);
      UnixDomainServerConnector unix =
          new UnixDomainServerConnector(
              server, new HeaderDeadlineConnectionFactory(plain, config.idleTimeout()));
      unix.setUnixDomainPath(staging.resolve("control.sock"));
      unix.setName(CONTROL);
      control = unix;
    } else {
      token = Optional.of(ControlToken.loadOrCreate(controlTokenFile(config)));
      ServerConnector tcp =
          new ServerConnector(
              server, new HeaderDeadlineConnectionFactory(plain, config.idleTimeout()));
      tcp.setHost("127.0.0.1");
      tcp.setPort(config.controlPort());
      tcp.setName(CONTROL);
      control = tcp;
    }
    server.addConnector(control);

    Handler dataHandler =
        new DataHandler(DataResources.routes(tickets, jobs, config, api), config.maxJsonBytes());
    Handler controlHandler = new ControlHandler(tickets, config.maxJsonBytes(), token);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            boolean isControl =
                CONTROL.equals(request.getConnectionMetaData().getConnector().getName());
            return (isControl ? controlHandler : dataHandler).handle(request, response, callback);
          }
        });
    server.setErrorHandler(IntactServer::plainError);
    server.setRequestLog(log);
    try {
      server.start();
      if (staging != null) {
        ControlSocket.publish(staging.resolve("control.sock"), config.controlSocket().get());
      }
    } catch (Exception e) {
      server.stop();
      if (staging != null) {
        Files.deleteIfExists(staging.resolve("control.sock"));
        Files.deleteIfExists(staging);
      }
      jobs.close();
      throw e;
    }

    ScheduledExecutorService reaper =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("intact-ticket-reaper").unstarted(r));
    ScheduledFuture<?> reaping =
        reaper.scheduleWithFixedDelay(() -> reapLogged(tickets), 1, 1, TimeUnit.SECONDS);

    IntactServer s =
        new IntactServer(server, data, control, config, pem.cert(), tickets, jobs, reaper, reaping);
    LOG.info(
        "data service on {}, control service on {}, certificate {}",
        s.dataUri(),
        s.controlDescription(),
        pem.cert());
    return s;
  }

  /** Errors Jetty raises itself (malformed requests): one line of text/plain, like ours. */
  private static boolean plainError(Request request, Response response, Callback callback) {
    Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
    String text =
        (message == null ? "HTTP error " + response.getStatus() : message.toString())
                .lines()
                .findFirst()
                .orElse("")
            + "\n";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }

  public int dataPort() {
    return dataConnector.getLocalPort();
  }

  /** The base of data URLs: {@code https://host:port/images/}. */
  public URI dataUri() {
    String host = config.dataHost().equals("0.0.0.0") ? "localhost" : config.dataHost();
    return URI.create("https://" + host + ":" + dataPort() + "/images/");
  }

  /** The PEM certificate clients should trust ({@code --cafile}). */
  public Path certificate() {
    return certificate;
  }

  /**
   * The file holding the secret that control requests over loopback TCP must carry ({@code
   * Authorization: Bearer TOKEN}): {@code control.token} in the state directory.
   */
  public static Path controlTokenFile(ServerConfig config) {
    return config.stateDir().resolve(ControlToken.FILE_NAME);
  }

  /** The control token file when the control service is on loopback TCP. */
  public Optional<Path> controlTokenFile() {
    return controlUri().map(u -> controlTokenFile(config));
  }

  public Optional<Path> controlSocket() {
    return config.controlSocket();
  }

  /** The control service's base URI when it listens on loopback TCP. */
  public Optional<URI> controlUri() {
    if (controlConnector instanceof ServerConnector tcp) {
      return Optional.of(URI.create("http://127.0.0.1:" + tcp.getLocalPort() + "/tickets/"));
    }
    return Optional.empty();
  }

  private String controlDescription() {
    return controlUri().map(URI::toString).orElseGet(() -> "unix:" + config.controlSocket().get());
  }

  public int ticketCount() {
    return tickets.count();
  }

  public int unfinishedJobs() {
    return jobs.unfinished();
  }

  public void join() throws InterruptedException {
    server.join();
  }

  /** A periodic task that throws is never run again: log the failure and reap on the next tick. */
  private static void reapLogged(TicketStore tickets) {
    try {
      tickets.reap();
    } catch (RuntimeException e) {
      LOG.warn("reaping expired tickets failed: {}", e.toString());
    }
  }

  @Override
  public void close() throws Exception {
    reaping.cancel(false);
    reaper.shutdownNow();
    tickets.clear();
    jobs.close();
    server.stop();
    if (config.controlSocket().isPresent()) {
      try {
        Files.deleteIfExists(config.controlSocket().get());
      } catch (IOException e) {
        LOG.warn("cannot remove control socket {}: {}", config.controlSocket().get(), e.toString());
      }
    }
  }
}
