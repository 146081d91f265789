package dev.intact.core.nbd.wire;

/** A client's option header ({@code IHAVEOPT}, option, length); the payload follows it. */
public record OptionHeader(int option, long length) {
  public static final int SIZE = 16;
}
