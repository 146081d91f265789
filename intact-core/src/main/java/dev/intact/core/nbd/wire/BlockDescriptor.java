package dev.intact.core.nbd.wire;

/** One block status descriptor: a run of {@code length} bytes and its context-specific flags. */
public record BlockDescriptor(long length, int flags) {
  public static final int SIZE = 8;
}
