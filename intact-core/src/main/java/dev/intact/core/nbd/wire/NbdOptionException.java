package dev.intact.core.nbd.wire;

import java.io.IOException;

/** The server refused an option during the handshake (no such export, unsupported, policy). */
public final class NbdOptionException extends IOException {
  private final int option;
  private final int replyType;

  public NbdOptionException(String server, int option, int replyType, String serverMessage) {
    super(
        server
            + ": "
            + Nbd.optionName(option)
            + " refused with "
            + Nbd.replyName(replyType)
            + (serverMessage == null || serverMessage.isEmpty() ? "" : ": " + serverMessage));
    this.option = option;
    this.replyType = replyType;
  }

  public int option() {
    return option;
  }

  /** The NBD_REP_ERR_* value. */
  public int replyType() {
    return replyType;
  }
}
