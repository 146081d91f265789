package dev.intact.core.flash;

import java.io.IOException;

/** A block device that is mounted or held by another program. */
public final class TargetBusyException extends IOException {
  public TargetBusyException(String device) {
    super(
        device
            + ": is busy (mounted, or opened exclusively by another program); unmount it first."
            + " Nothing was written");
  }
}
