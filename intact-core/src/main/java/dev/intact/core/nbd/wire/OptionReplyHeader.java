package dev.intact.core.nbd.wire;

/** A server's option reply header; {@code length} bytes of payload follow it. */
public record OptionReplyHeader(int option, int type, long length) {
  public static final int SIZE = 20;

  public boolean isError() {
    return (type & Nbd.REP_FLAG_ERROR) != 0;
  }
}
