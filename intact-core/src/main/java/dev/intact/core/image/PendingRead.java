package dev.intact.core.image;

import java.io.IOException;

/**
 * A read that {@link Image#startRead} has started: {@link #await} returns once its bytes are in.
 */
@FunctionalInterface
public interface PendingRead {
  /** A read that finished before it was returned. */
  PendingRead DONE = () -> {};

  /**
   * Waits until the bytes are in the buffer.
   *
   * @throws IOException as the read itself would have thrown
   */
  void await() throws IOException;
}
