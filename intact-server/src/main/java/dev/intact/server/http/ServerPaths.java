package dev.intact.server.http;

import java.util.regex.Pattern;

/**
 * Keeps the daemon's file system layout out of what clients read. Core exceptions name the file
 * they failed on ({@code /proc/self/fd/12 ends at ...}, {@code /srv/images/a.raw: EIO}); a data
 * client holds a ticket, not a shell on the host, so such a path is replaced before a message
 * becomes an error body or a job's failure. The full message still goes to the daemon's log.
 */
public final class ServerPaths {
  /** An absolute path starting a message or a word (not the "/200" of "0-99/200"). */
  private static final Pattern ABSOLUTE = Pattern.compile("(?<=^|[\\s'\"(\\[=])/[^\\s'\"),:\\]]*");

  private ServerPaths() {}

  /** {@code message} with every absolute path replaced by {@code "(server path)"}. */
  public static String scrub(String message) {
    return message == null ? "" : ABSOLUTE.matcher(message).replaceAll("(server path)");
  }
}
