package dev.intact.core.nbd.wire;

import java.io.IOException;

/** The server answered a command with an error; the connection stays usable. */
public final class NbdCommandException extends IOException {
  private final NbdErrno errno;
  private final Command command;
  private final long offset;
  private final long length;
  private final String export;

  public NbdCommandException(
      String export, Command command, long offset, long length, NbdErrno errno, String detail) {
    super(
        export
            + ": "
            + command.protocolName()
            + " at offset "
            + offset
            + " length "
            + length
            + " failed: "
            + errno
            + " ("
            + errno.description()
            + ")"
            + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    this.errno = errno;
    this.command = command;
    this.offset = offset;
    this.length = length;
    this.export = export;
  }

  public NbdErrno errno() {
    return errno;
  }

  public Command command() {
    return command;
  }

  public long offset() {
    return offset;
  }

  public long length() {
    return length;
  }

  public String export() {
    return export;
  }
}
