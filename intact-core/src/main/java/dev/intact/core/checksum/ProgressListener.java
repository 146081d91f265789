package dev.intact.core.checksum;

/**
 * Told how many more bytes of the range are done. Holes count as done at once, without reads. Calls
 * come from the thread that called the engine, in order.
 */
@FunctionalInterface
public interface ProgressListener {

  ProgressListener NONE = bytes -> {};

  void advance(long bytes);
}
