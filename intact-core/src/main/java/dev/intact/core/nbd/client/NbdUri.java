package dev.intact.core.nbd.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where an NBD export is: {@code nbd://host[:port]/[export]} (TCP, port 10809 by default) or {@code
 * nbd+unix:///[export]?socket=PATH} (a unix socket), as the NBD project's URI spec and libnbd write
 * them; also qemu's older {@code nbd:unix:PATH[:exportname=NAME]} and {@code
 * nbd:HOST:PORT[:exportname=NAME]}, which ovirt-imageio tickets use. TLS ({@code nbds}) is not
 * supported.
 */
public record NbdUri(SocketAddress address, String exportName) {
  public static final int DEFAULT_PORT = 10809;
  private static final String QEMU_UNIX = "nbd:unix:";
  private static final String QEMU_EXPORT = ":exportname=";

  public NbdUri {
    if (!(address instanceof InetSocketAddress) && !(address instanceof UnixDomainSocketAddress)) {
      throw new IllegalArgumentException("NBD address must be TCP or a unix socket: " + address);
    }
  }

  public static NbdUri unix(Path socket, String exportName) {
    return new NbdUri(UnixDomainSocketAddress.of(socket), exportName);
  }

  public static NbdUri tcp(String host, int port, String exportName) {
    return new NbdUri(InetSocketAddress.createUnresolved(host, port), exportName);
  }

  /**
   * Whether {@code s} looks like an NBD URI (so callers can route it here rather than to a file).
   */
  public static boolean isNbdUri(String s) {
    return s.startsWith("nbd://")
        || s.startsWith("nbd+unix://")
        || s.startsWith("nbds")
        || s.startsWith(QEMU_UNIX);
  }

  /**
   * Parses any of the forms above.
   *
   * @throws IllegalArgumentException naming the URI and what is wrong with it
   */
  public static NbdUri parse(String s) {
    if (s.startsWith("nbd:") && !s.startsWith("nbd://")) {
      return parseQemu(s);
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid NBD URI '" + s + "': " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    String export = exportOf(uri);
    switch (scheme) {
      case "nbd", "nbd+tcp" -> {
        if (uri.getHost() == null) {
          throw new IllegalArgumentException("NBD URI '" + s + "' has no host");
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1); // an IPv6 literal
        }
        return tcp(host, port, export);
      }
      case "nbd+unix" -> {
        String socket = queryParameter(uri, "socket");
        if (socket == null || socket.isEmpty()) {
          throw new IllegalArgumentException(
              "NBD URI '" + s + "' needs ?socket=PATH for a unix socket");
        }
        return unix(Path.of(socket), export);
      }
      case "nbds", "nbds+unix", "nbds+tcp" ->
          throw new IllegalArgumentException("NBD over TLS is not supported: '" + s + "'");
      default -> throw new IllegalArgumentException("not an NBD URI: '" + s + "'");
    }
  }

  /** qemu's {@code nbd:unix:PATH[:exportname=NAME]} and {@code nbd:HOST:PORT[:exportname=]}. */
  private static NbdUri parseQemu(String s) {
    String rest = s.substring("nbd:".length());
    String export = "";
    int e = rest.indexOf(QEMU_EXPORT);
    if (e >= 0) {
      export = rest.substring(e + QEMU_EXPORT.length());
      rest = rest.substring(0, e);
    }
    if (s.startsWith(QEMU_UNIX)) {
      String socket = rest.substring("unix:".length());
      if (!socket.startsWith("/")) {
        throw new IllegalArgumentException(
            "NBD URI '" + s + "' must name an absolute socket path: nbd:unix:/path/to/socket");
      }
      return unix(Path.of(socket), export);
    }
    int colon = rest.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "NBD URI '" + s + "' is neither nbd:unix:/path nor nbd:HOST:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(rest.substring(colon + 1));
    } catch (NumberFormatException x) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "NBD URI '" + s + "' has no valid port: '" + rest.substring(colon + 1) + "'");
    }
    return tcp(rest.substring(0, colon), port, export);
  }

  private static String exportOf(URI uri) {
    String path = uri.getPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return "";
    }
    return path.substring(1);
  }

  private static String queryParameter(URI uri, String name) {
    String query = uri.getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** Resolves a TCP host name now (an unresolved address cannot be connected to). */
  SocketAddress connectableAddress() {
    if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
      return new InetSocketAddress(inet.getHostString(), inet.getPort());
    }
    return address;
  }

  @Override
  public String toString() {
    if (address instanceof UnixDomainSocketAddress unix) {
      return "nbd+unix:///" + exportName + "?socket=" + unix.getPath();
    }
    InetSocketAddress inet = (InetSocketAddress) address;
    String host = inet.getHostString();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "nbd://" + host + ":" + inet.getPort() + "/" + exportName;
  }
}
