package dev.intact.core.nbd.server;

import dev.intact.core.image.Image;
import dev.intact.core.image.WritableImage;
import dev.intact.core.nbd.wire.NbdCodec;

/**
 * One export of an {@link NbdServer}: a name clients ask for, an image it reads from (with its
 * allocation map for block status), and the image it writes to, or {@code null} for read-only.
 */
public record NbdExport(String name, String description, Image image, WritableImage writes) {
  public NbdExport {
    NbdCodec.utf8(name);
    NbdCodec.utf8(description);
    if (writes != null && writes != image) {
      throw new IllegalArgumentException("a writable export reads from the image it writes");
    }
  }

  public static NbdExport readOnly(String name, Image image) {
    return new NbdExport(name, image.name(), image, null);
  }

  public static NbdExport readWrite(String name, WritableImage image) {
    return new NbdExport(name, image.name(), image, image);
  }

  public boolean readOnly() {
    return writes == null;
  }
}
