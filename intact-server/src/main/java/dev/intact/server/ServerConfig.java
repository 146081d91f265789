package dev.intact.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intact.server.http.Exchange;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the daemon needs to start. Built from defaults, then a config file ({@link
 * #withFile}), then command-line flags, each overriding the one before.
 *
 * @param dataHost address of the HTTPS data service (all interfaces by default: it is the remote
 *     side of a transfer)
 * @param dataPort 0 picks a free port (tests)
 * @param controlSocket unix socket of the control service; when empty the control service listens
 *     on loopback TCP at {@code controlPort}
 * @param roots directories whose files tickets may name
 * @param devices block devices tickets may name
 * @param nbdSocketDirs directories (besides the roots) whose unix sockets {@code nbd:} tickets may
 *     name
 * @param nbdHosts {@code HOST} or {@code HOST:PORT} of NBD servers {@code nbd://} tickets may name
 * @param cert PEM certificate chain; with {@code key} absent, a self-signed pair is generated in
 *     {@code stateDir} on first start
 */
public record ServerConfig(
    String dataHost,
    int dataPort,
    Optional<Path> controlSocket,
    int controlPort,
    List<Path> roots,
    List<Path> devices,
    List<Path> nbdSocketDirs,
    List<String> nbdHosts,
    Optional<Path> cert,
    Optional<Path> key,
    Path stateDir,
    int maxReaders,
    int maxWriters,
    int maxChecksumJobs,
    int checksumThreads,
    Duration idleTimeout,
    int maxJsonBytes) {

  public static final int DEFAULT_DATA_PORT = 54322;
  public static final int DEFAULT_CONTROL_PORT = 54324;

  public ServerConfig {
    roots = List.copyOf(roots);
    devices = List.copyOf(devices);
    nbdSocketDirs = List.copyOf(nbdSocketDirs);
    nbdHosts = List.copyOf(nbdHosts);
    if (maxReaders < 1 || maxWriters < 1 || maxChecksumJobs < 1 || checksumThreads < 1) {
      throw new IllegalArgumentException(
          "max_readers, max_writers, max_checksum_jobs and checksum_threads must be at least 1");
    }
    if (cert.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException("give both --cert and --key, or neither");
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        "0.0.0.0",
        DEFAULT_DATA_PORT,
        Optional.empty(),
        DEFAULT_CONTROL_PORT,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        defaultStateDir(),
        8,
        8,
        64,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        Duration.ofSeconds(60),
        64 * 1024);
  }

  private static Path defaultStateDir() {
    String xdg = System.getenv("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "intact");
    }
    return Path.of(System.getProperty("user.home"), ".local", "state", "intact");
  }

  /** The config file's shape: snake_case keys, every one optional. */
  record FileSettings(
      @JsonProperty("data_host") String dataHost,
      @JsonProperty("port") Integer dataPort,
      @JsonProperty("control_socket") String controlSocket,
      @JsonProperty("control_port") Integer controlPort,
      @JsonProperty("roots") List<String> roots,
      @JsonProperty("devices") List<String> devices,
      @JsonProperty("nbd_socket_dirs") List<String> nbdSocketDirs,
      @JsonProperty("nbd_hosts") List<String> nbdHosts,
      @JsonProperty("cert") String cert,
      @JsonProperty("key") String key,
      @JsonProperty("state_dir") String stateDir,
      @JsonProperty("max_readers") Integer maxReaders,
      @JsonProperty("max_writers") Integer maxWriters,
      @JsonProperty("max_checksum_jobs") Integer maxChecksumJobs,
      @JsonProperty("checksum_threads") Integer checksumThreads,
      @JsonProperty("idle_timeout") Integer idleTimeoutSeconds) {}

  /**
   * Applies a JSON config file (see {@code docs/transfer.md}).
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public ServerConfig withFile(Path file) {
    byte[] json;
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      json = in.readNBytes(MAX_CONFIG_BYTES + 1); // not all of /dev/zero
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(
          "cannot read config file " + file + ": No such file or directory", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e, e);
    }
    if (json.length > MAX_CONFIG_BYTES) {
      throw new IllegalArgumentException(
          "config file " + file + " is larger than " + MAX_CONFIG_BYTES + " bytes");
    }
    return withFileContent(json, file.toString());
  }

  private static final int MAX_CONFIG_BYTES = 1 << 20;

  /** The config file's parser: strict (no coercion, no trailing garbage, no unknown keys). */
  private static final ObjectMapper CONFIG_JSON =
      strict(
          com.fasterxml.jackson.databind.json.JsonMapper.builder()
              .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
              .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
              .build());

  private static ObjectMapper strict(com.fasterxml.jackson.databind.json.JsonMapper mapper) {
    for (var t : com.fasterxml.jackson.databind.type.LogicalType.values()) {
      var c = mapper.coercionConfigFor(t);
      for (var shape : com.fasterxml.jackson.databind.cfg.CoercionInputShape.values()) {
        if (shape != com.fasterxml.jackson.databind.cfg.CoercionInputShape.Array
            && shape != com.fasterxml.jackson.databind.cfg.CoercionInputShape.Object) {
          c.setCoercion(shape, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
        }
      }
    }
    return mapper;
  }

  /**
   * Applies the content of a JSON config file named {@code name} (for messages).
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public ServerConfig withFileContent(byte[] json, String name) {
    FileSettings s;
    try {
      s = CONFIG_JSON.readValue(json, FileSettings.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot read config file " + name + ": " + Exchange.firstLine(e), e);
    } catch (IOException e) {
      String m = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new IllegalArgumentException(
          "cannot read config file " + name + ": " + m.lines().findFirst().orElse(""), e);
    }
    if (s == null) {
      throw new IllegalArgumentException("config file " + name + " is not a JSON object");
    }
    try {
      return apply(s);
    } catch (IllegalArgumentException | NullPointerException e) {
      // InvalidPathException (a NUL in a path) is an IllegalArgumentException; a null list
      // element a NullPointerException.
      String why =
          e instanceof NullPointerException
              ? "a list holds null"
              : String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new IllegalArgumentException("config file " + name + ": " + why, e);
    }
  }

  private static int port(Integer p, String key, int absent) {
    if (p == null) {
      return absent;
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException(key + " must be a port number 0-65535, not " + p);
    }
    return p;
  }

  private ServerConfig apply(FileSettings s) {
    if (s.idleTimeoutSeconds != null && s.idleTimeoutSeconds < 1) {
      throw new IllegalArgumentException(
          "idle_timeout must be at least 1 second, not " + s.idleTimeoutSeconds);
    }
    List<Path> r = s.roots == null ? roots : s.roots.stream().map(Path::of).toList();
    List<Path> d = s.devices == null ? devices : s.devices.stream().map(Path::of).toList();
    List<Path> nd =
        s.nbdSocketDirs == null ? nbdSocketDirs : s.nbdSocketDirs.stream().map(Path::of).toList();
    List<String> nh = s.nbdHosts == null ? nbdHosts : s.nbdHosts;
    return new ServerConfig(
        s.dataHost != null ? s.dataHost : dataHost,
        port(s.dataPort, "port", dataPort),
        s.controlSocket != null ? Optional.of(Path.of(s.controlSocket)) : controlSocket,
        port(s.controlPort, "control_port", controlPort),
        r,
        d,
        nd,
        nh,
        s.cert != null ? Optional.of(Path.of(s.cert)) : cert,
        s.key != null ? Optional.of(Path.of(s.key)) : key,
        s.stateDir != null ? Path.of(s.stateDir) : stateDir,
        s.maxReaders != null ? s.maxReaders : maxReaders,
        s.maxWriters != null ? s.maxWriters : maxWriters,
        s.maxChecksumJobs != null ? s.maxChecksumJobs : maxChecksumJobs,
        s.checksumThreads != null ? s.checksumThreads : checksumThreads,
        s.idleTimeoutSeconds != null ? Duration.ofSeconds(s.idleTimeoutSeconds) : idleTimeout,
        maxJsonBytes);
  }

  public ServerConfig withDataPort(int port) {
    return edit(d -> d.dataPort = port);
  }

  public ServerConfig withDataHost(String host) {
    return edit(d -> d.dataHost = host);
  }

  public ServerConfig withControlSocket(Path socket) {
    return edit(d -> d.controlSocket = Optional.of(socket));
  }

  public ServerConfig withControlPort(int port) {
    return edit(d -> d.controlPort = port);
  }

  public ServerConfig withRoots(List<Path> newRoots) {
    return edit(d -> d.roots = newRoots);
  }

  public ServerConfig withDevices(List<Path> newDevices) {
    return edit(d -> d.devices = newDevices);
  }

  public ServerConfig withCertificate(Path certFile, Path keyFile) {
    return edit(
        d -> {
          d.cert = Optional.of(certFile);
          d.key = Optional.of(keyFile);
        });
  }

  public ServerConfig withStateDir(Path dir) {
    return edit(d -> d.stateDir = dir);
  }

  public ServerConfig withLimits(int readers, int writers, int jobs, int threads) {
    return edit(
        d -> {
          d.maxReaders = readers;
          d.maxWriters = writers;
          d.maxChecksumJobs = jobs;
          d.checksumThreads = threads;
        });
  }

  public ServerConfig withIdleTimeout(Duration timeout) {
    return edit(d -> d.idleTimeout = timeout);
  }

  public ServerConfig withNbdSocketDirs(List<Path> dirs) {
    return edit(d -> d.nbdSocketDirs = dirs);
  }

  public ServerConfig withNbdHosts(List<String> hosts) {
    return edit(d -> d.nbdHosts = hosts);
  }

  /** A copy with some components changed: records have no withers of their own yet. */
  private ServerConfig edit(java.util.function.Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return d.build();
  }

  /** The components of a config being edited; {@link #build} validates them again. */
  private static final class Draft {
    String dataHost;
    int dataPort;
    Optional<Path> controlSocket;
    int controlPort;
    List<Path> roots;
    List<Path> devices;
    List<Path> nbdSocketDirs;
    List<String> nbdHosts;
    Optional<Path> cert;
    Optional<Path> key;
    Path stateDir;
    int maxReaders;
    int maxWriters;
    int maxChecksumJobs;
    int checksumThreads;
    Duration idleTimeout;
    int maxJsonBytes;

    Draft(ServerConfig c) {
      dataHost = c.dataHost;
      dataPort = c.dataPort;
      controlSocket = c.controlSocket;
      controlPort = c.controlPort;
      roots = c.roots;
      devices = c.devices;
      nbdSocketDirs = c.nbdSocketDirs;
      nbdHosts = c.nbdHosts;
      cert = c.cert;
      key = c.key;
      stateDir = c.stateDir;
      maxReaders = c.maxReaders;
      maxWriters = c.maxWriters;
      maxChecksumJobs = c.maxChecksumJobs;
      checksumThreads = c.checksumThreads;
      idleTimeout = c.idleTimeout;
      maxJsonBytes = c.maxJsonBytes;
    }

    ServerConfig build() {
      return new ServerConfig(
          dataHost,
          dataPort,
          controlSocket,
          controlPort,
          roots,
          devices,
          nbdSocketDirs,
          nbdHosts,
          cert,
          key,
          stateDir,
          maxReaders,
          maxWriters,
          maxChecksumJobs,
          checksumThreads,
          idleTimeout,
          maxJsonBytes);
    }
  }
}
