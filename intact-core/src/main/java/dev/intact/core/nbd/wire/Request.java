package dev.intact.core.nbd.wire;

/**
 * A transmission-phase request header. {@code type} is kept as the raw 16-bit code so that a server
 * can answer an unknown command with an error instead of failing to parse it; {@code length} is the
 * unsigned 32-bit field.
 */
public record Request(int flags, int type, long cookie, long offset, long length) {
  public static final int SIZE = 28;

  public Request {
    if ((flags & ~0xffff) != 0 || (type & ~0xffff) != 0 || length < 0 || length > 0xffffffffL) {
      throw new IllegalArgumentException("request field out of range");
    }
  }

  public Request(int flags, Command command, long cookie, long offset, long length) {
    this(flags, command.code(), cookie, offset, length);
  }

  /** The command, or {@code null} if the code is not one Intact knows. */
  public Command command() {
    return Command.ofCode(type);
  }

  /** The offset as the unsigned value it is on the wire clipped to long: a huge one is negative. */
  public boolean offsetOverflows() {
    return offset < 0 || offset + length < 0;
  }
}
