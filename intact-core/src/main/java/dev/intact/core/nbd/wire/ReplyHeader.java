package dev.intact.core.nbd.wire;

/** The header of a transmission-phase reply: a simple reply or one chunk of a structured reply. */
public sealed interface ReplyHeader {
  long cookie();

  /** A simple reply; for a successful read, the data follows. */
  record Simple(int error, long cookie) implements ReplyHeader {
    public static final int SIZE = 16;
  }

  /** A structured reply chunk; {@code length} bytes of payload follow. */
  record Chunk(int flags, int type, long cookie, long length) implements ReplyHeader {
    public static final int SIZE = 20;

    public boolean done() {
      return (flags & Nbd.REPLY_FLAG_DONE) != 0;
    }

    public boolean isError() {
      return (type & 0x8000) != 0;
    }
  }
}
