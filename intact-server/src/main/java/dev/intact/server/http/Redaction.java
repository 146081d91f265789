package dev.intact.server.http;

import dev.intact.server.ticket.TicketId;
import java.util.Map;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/**
 * Keeps ticket ids (the data URLs' credentials) out of logs. A request's path is written to the
 * access log as its resolved route with the ticket shortened ({@link #routed}), never as the raw
 * path: Jetty accepts many spellings of one route ({@code /images;x=1/ID}, {@code /%69mages/ID},
 * {@code /images/./ID}, {@code //images/ID}) that a rule over the raw text would miss. A request
 * that matched no route is logged by its first segment only ({@link #unrouted}).
 */
public final class Redaction {
  /** The request attribute holding the path the access log writes. */
  public static final String LOGGED_PATH = "dev.intact.server.loggedPath";

  private Redaction() {}

  /** Records the route {@code template} matched with {@code parameters} as the request's path. */
  public static void routed(Request request, String template, Map<String, String> parameters) {
    String path = template;
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      String value = p.getKey().equals("ticket") ? TicketId.redact(p.getValue()) : p.getValue();
      path = path.replace("{" + p.getKey() + "}", value);
    }
    request.setAttribute(LOGGED_PATH, path);
  }

  /** The path the access log writes for {@code request}. */
  public static String logged(Request request) {
    return request.getAttribute(LOGGED_PATH) instanceof String s
        ? s
        : unrouted(request.getHttpURI());
  }

  /**
   * A path no route resolved: its first non-empty segment (cut at a parameter or an escape) and
   * {@code /…} when more follows, so a ticket id in any spelling stays out.
   */
  public static String unrouted(HttpURI uri) {
    return uri == null ? "" : unrouted(uri.getPath());
  }

  /** {@link #unrouted(HttpURI)} for a path's text. */
  public static String unrouted(String path) {
    if (path == null) {
      return "";
    }
    String[] segments = path.split("/", -1);
    String first = null;
    boolean more = false;
    for (String s : segments) {
      if (s.isEmpty()) {
        continue;
      }
      if (first == null) {
        // Parameters and escapes (an encoded '/' Jetty refused, say) may hide the id in it.
        int cut = 0;
        while (cut < s.length() && s.charAt(cut) != ';' && s.charAt(cut) != '%') {
          cut++;
        }
        first = cut == s.length() ? s : s.substring(0, cut) + "…";
      } else {
        more = true;
        break;
      }
    }
    if (first == null) {
      return "/";
    }
    return "/" + first + (more ? "/…" : "");
  }

  /** The path with the ticket segment of every known route shortened to 4 characters. */
  public static String path(String path) {
    if (path == null) {
      return "";
    }
    String[] s = path.split("/", -1);
    int idIndex = -1;
    if (s.length > 2 && (s[1].equals("images") || s[1].equals("tickets"))) {
      idIndex = 2;
    } else if (s.length > 4 && s[1].equals("api") && s[3].equals("device")) {
      idIndex = 4;
    }
    if (idIndex < 0) {
      return unrouted(path);
    }
    s[idIndex] = TicketId.redact(s[idIndex]);
    return String.join("/", s);
  }
}
