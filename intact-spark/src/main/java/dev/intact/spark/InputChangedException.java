package dev.intact.spark;

import java.io.IOException;

/** An input's size is not what the job was planned for: it changed while the job ran. */
public final class InputChangedException extends IOException {
  public InputChangedException(String path, long planned, long now) {
    super(path + ": size changed from " + planned + " to " + now + " bytes while the job ran");
  }
}
