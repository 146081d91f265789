package dev.intact.core.nbd.wire;

/** The transmission-phase commands Intact sends and serves. */
public enum Command {
  READ(0),
  WRITE(1),
  DISC(2),
  FLUSH(3),
  TRIM(4),
  CACHE(5),
  WRITE_ZEROES(6),
  BLOCK_STATUS(7);

  private final int code;

  Command(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The command with this code, or {@code null} for one Intact does not know. */
  public static Command ofCode(int code) {
    for (Command c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return null;
  }

  public String protocolName() {
    return "NBD_CMD_" + name();
  }
}
