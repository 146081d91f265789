package dev.intact.core.nbd.server;

import dev.intact.core.image.Image;
import dev.intact.core.image.WritableImage;
import dev.intact.core.nbd.wire.NbdCodec;

/**
 * One export of an {@link NbdServer}: a name clients ask for, the image served (read through {@link
 * Image}, with its allocation map for block status), and whether clients may write to it.
 */
public record NbdExport(String name, String description, Image image, boolean writable) {
  public NbdExport {
    NbdCodec.utf8(name);
    NbdCodec.utf8(description);
    if (writable && !(image instanceof WritableImage)) {
      throw new IllegalArgumentException(image.name() + ": cannot be written, so not exported so");
    }
  }

  public static NbdExport readOnly(String name, Image image) {
    return new NbdExport(name, image.name(), image, false);
  }

  public static NbdExport readWrite(String name, WritableImage image) {
    return new NbdExport(name, image.name(), image, true);
  }

  public boolean readOnly() {
    return !writable;
  }

  /**
   * The image writes go to.
   *
   * @throws IllegalStateException if the export is read-only (the session refuses writes first)
   */
  public WritableImage writes() {
    if (!writable) {
      throw new IllegalStateException(name + " is a read-only export");
    }
    return (WritableImage) image;
  }
}
