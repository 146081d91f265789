package dev.intact.server.control;

import java.io.IOException;
import java.nio.file.Path;

/** Another process answers on the control socket this daemon was told to listen on. */
public final class ControlSocketInUseException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path socket;

  public ControlSocketInUseException(Path socket) {
    super("control socket " + socket + " is in use by a running daemon; stop it or choose another");
    this.socket = socket;
  }

  public Path socket() {
    return socket;
  }
}
