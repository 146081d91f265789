package dev.intact.server.http;

import dev.intact.server.ticket.TicketId;

/** Keeps ticket ids (the data URLs' credentials) out of logs. */
public final class Redaction {
  private Redaction() {}

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
      return path;
    }
    s[idIndex] = TicketId.redact(s[idIndex]);
    return String.join("/", s);
  }
}
