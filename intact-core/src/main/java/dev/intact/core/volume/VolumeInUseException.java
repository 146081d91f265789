package dev.intact.core.volume;

import dev.intact.core.image.ImageBusyException;

/**
 * A volume that another process holds open in a way that conflicts with this open: a served
 * (writable) volume cannot be checked or repaired offline, and a volume cannot be served twice.
 */
public final class VolumeInUseException extends ImageBusyException {
  private final String holder;

  public VolumeInUseException(String path, String holder) {
    super(
        path,
        path
            + ": is in use by "
            + holder
            + " (stop it, or scrub the served volume through its NBD URL)");
    this.holder = holder;
  }

  /** Who holds it: "pid 123 (intact volume serve ...)", or "another process". */
  public String holder() {
    return holder;
  }
}
