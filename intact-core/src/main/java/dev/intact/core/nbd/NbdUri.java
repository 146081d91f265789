package dev.intact.core.nbd;

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
 * them. TLS ({@code nbds}) is not supported.
 */
public record NbdUri(SocketAddress address, String exportName) {
  public static final int DEFAULT_PORT = 10809;

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
    return s.startsWith("nbd://") || s.startsWith("nbd+unix://") || s.startsWith("nbds");
  }

  public static NbdUri parse(String s) {
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
    for (String pair : query.split("&")) {
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
