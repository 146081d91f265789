package dev.intact.cli.transfer;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * A daemon's image URL as typed: {@code https://HOST:PORT/images/TICKET}. Anything else is a usage
 * error that shows the form, rather than a {@code URISyntaxException} or an HTTP client's failure
 * on a scheme it does not speak.
 */
final class DaemonUrls {
  static final String FORM = "https://HOST:54322/images/TICKET";

  private DaemonUrls() {}

  /**
   * Parses {@code text}, the value of {@code what} (URL, DEST_URL, --proxy-url, ...).
   *
   * @throws ParameterException naming what is wrong and the form expected
   */
  static URI parse(CommandSpec spec, String what, String text) {
    URI u;
    try {
      u = new URI(text);
    } catch (URISyntaxException e) {
      if (!text.contains("://") && isUrl("https://" + text)) {
        throw noScheme(spec, what, text); // 127.0.0.1:54322/images/x: a digit cannot start one
      }
      throw new ParameterException(
          spec.commandLine(),
          what + " '" + text + "' is not a URL (" + e.getReason() + "); the form is " + FORM);
    }
    String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || (u.isOpaque() && !text.contains("://"))) {
      // host:port/images/x parses as scheme "host"; say what was meant.
      throw new ParameterException(
          spec.commandLine(),
          what
              + " '"
              + text
              + "' has no scheme: write https://"
              + text
              + " (the form is "
              + FORM
              + ")");
    }
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new ParameterException(
          spec.commandLine(),
          what
              + " '"
              + text
              + "': the scheme "
              + scheme
              + ":// is not a daemon's; the form is "
              + FORM);
    }
    if (u.getHost() == null || u.getPath() == null || u.getPath().isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          what + " '" + text + "' names no host and image; the form is " + FORM);
    }
    return u;
  }

  private static boolean isUrl(String text) {
    try {
      return new URI(text).getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static ParameterException noScheme(CommandSpec spec, String what, String text) {
    return new ParameterException(
        spec.commandLine(),
        what
            + " '"
            + text
            + "' has no scheme: write https://"
            + text
            + " (the form is "
            + FORM
            + ")");
  }
}
