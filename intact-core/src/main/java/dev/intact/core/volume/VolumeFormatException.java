package dev.intact.core.volume;

import java.io.IOException;

/**
 * A volume that cannot be used: not a volume, a superblock or journal that does not decode, a
 * geometry that does not fit its storage, or the wrong key. The message is one line naming what is
 * wrong and where.
 */
public final class VolumeFormatException extends IOException {
  public VolumeFormatException(String message) {
    super(message);
  }
}
