package dev.intact.cli.transfer;

import dev.intact.client.ImageServerException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * One line that names what failed and what to do about it, for the failures a transfer meets first:
 * an untrusted certificate, plain HTTP against the HTTPS daemon, a daemon that is not there or went
 * away, a missing file. The HTTP client's own messages carry its objects' {@code toString} (a
 * thousand characters of connection state); none of that reaches the user.
 */
final class TransferErrors {
  /** An object's identity as Jetty prints it: {@code HttpConnectionOverHTTP@72dca307}. */
  private static final Pattern INTERNALS = Pattern.compile("\\b(oej\\w*\\.|\\w+@[0-9a-f]{6,})");

  private TransferErrors() {}

  /** The line for {@code e}, a failure of a transfer between {@code urls} (the daemons named). */
  static String describe(Throwable e, List<URI> urls) {
    String daemon = urls.isEmpty() ? "the daemon" : origin(urls.getFirst());
    // The JDK's trust managers' words for a certificate that names other hosts: a CA file does not
    // help there, the right name does.
    if (mentions(e, "No subject alternative") || mentions(e, "No name matching")) {
      return "the certificate of "
          + daemon
          + " does not name "
          + (urls.isEmpty() ? "that host" : urls.getFirst().getHost())
          + ": use a name it holds (for 'intact serve': localhost, 127.0.0.1, ::1 or its host name)"
          + " or, on a network you trust, --insecure";
    }
    if (has(e, CertPathBuilderException.class)
        || has(e, CertificateException.class)
        || mentions(e, "PKIX path")) {
      return "cannot trust the certificate of "
          + daemon
          + ": no CA this host trusts signed it; pass --cafile PEM (the certificate"
          + " 'intact serve' prints) or, on a network you trust, --insecure";
    }
    Optional<URI> plain = urls.stream().filter(u -> "http".equals(scheme(u))).findFirst();
    if (plain.isPresent()
        && (mentions(e, "protocol violation")
            || mentions(e, "Illegal character")
            || mentions(e, "bad response"))) {
      return origin(plain.get())
          + " answered in TLS: the daemon speaks HTTPS; write https://"
          + plain.get().getAuthority()
          + plain.get().getRawPath().substring(0, plain.get().getRawPath().lastIndexOf('/') + 1)
          + "...";
    }
    if (has(e, SSLHandshakeException.class)) {
      return "TLS handshake with "
          + daemon
          + " failed: "
          + clean(firstCause(e, SSLException.class));
    }
    if (e instanceof ImageServerException s) {
      return clean(s.getMessage());
    }
    if (has(e, ConnectException.class) || has(e, NoRouteToHostException.class)) {
      Throwable why = firstCause(e, ConnectException.class);
      return "cannot connect to "
          + daemon
          + ": "
          + clean(why != null ? why : firstCause(e, NoRouteToHostException.class))
          + " (is 'intact serve' running there, on that port?)";
    }
    if (has(e, EOFException.class)
        || has(e, ClosedChannelException.class)
        || mentions(e, "Connection reset")
        || mentions(e, "Broken pipe")
        || has(e, SocketException.class)) {
      return daemon
          + " closed the connection mid-transfer (stopped or restarted?): the transfer is"
          + " incomplete and nothing was verified; run the command again";
    }
    if (e instanceof NoSuchFileException n) {
      return n.getFile() + ": No such file or directory";
    }
    if (e instanceof AccessDeniedException a) {
      return a.getFile() + ": Permission denied";
    }
    return clean(e);
  }

  /** {@code https://host:54322}, the part of a URL that is not a credential. */
  static String origin(URI u) {
    return u.getScheme() + "://" + u.getAuthority();
  }

  private static String scheme(URI u) {
    return u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    return firstCause(e, type) != null;
  }

  private static Throwable firstCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }

  private static boolean mentions(Throwable e, String words) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(words)) {
        return true;
      }
    }
    return false;
  }

  /** The message without the HTTP client's internals; the type's name when nothing is left. */
  static String clean(Throwable t) {
    return t == null
        ? "failed"
        : clean(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
  }

  static String clean(String message) {
    String m = message.lines().findFirst().orElse("");
    java.util.regex.Matcher at = INTERNALS.matcher(m);
    if (at.find()) {
      // Everything from the first object dump on is connection state, not a reason.
      m = m.substring(0, at.start()).replaceAll("[\\s:,(\\[{]*(on|at)?\\s*$", "").strip();
    }
    return m.isEmpty() ? "the connection failed" : m;
  }
}
