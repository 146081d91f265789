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
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  // Looked up for every request, several times: values() would copy the array each time.
  private static final Command[] BY_CODE = byCode();

  private static Command[] byCode() {
    Command[] all = values();
    int max = 0;
    for (Command c : all) {
      max = Math.max(max, c.code);
    }
    Command[] byCode = new Command[max + 1];
    for (Command c : all) {
      byCode[c.code] = c;
    }
    return byCode;
  }

  public String protocolName() {
    return "NBD_CMD_" + name();
  }
}
