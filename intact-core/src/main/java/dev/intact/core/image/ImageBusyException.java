package dev.intact.core.image;

import java.io.IOException;

/**
 * A block device that could not be opened for writing because it is mounted or claimed by another
 * program: the kernel refuses an exclusive open ({@code O_EXCL}, EBUSY) while either is so.
 */
public class ImageBusyException extends IOException {
  private final String device;

  public ImageBusyException(String device) {
    this(device, device + ": is busy (mounted, or opened exclusively by another program)");
  }

  /** For subclasses that say what the caller should do about it. */
  protected ImageBusyException(String device, String message) {
    super(message);
    this.device = device;
  }

  public String device() {
    return device;
  }
}
