package dev.intact.core.flash;

import dev.intact.core.image.ImageBusyException;

/** A block device that is mounted or held by another program. */
public final class TargetBusyException extends ImageBusyException {
  public TargetBusyException(String device) {
    super(
        device,
        device
            + ": is busy (mounted, or opened exclusively by another program); unmount it first."
            + " Nothing was written");
  }
}
