package dev.intact.core.nbd;

import dev.intact.core.io.Image;

/**
 * One export of an {@link NbdServer}: a name clients ask for, an image it reads from (with its
 * allocation map for block status), and the writes it accepts, or {@code null} for read-only.
 */
public record NbdExport(String name, String description, Image image, ExportWrites writes) {
  public NbdExport {
    NbdCodec.utf8(name);
    NbdCodec.utf8(description);
  }

  public static NbdExport readOnly(String name, Image image) {
    return new NbdExport(name, image.name(), image, null);
  }

  public static NbdExport readWrite(String name, Image image, ExportWrites writes) {
    return new NbdExport(name, image.name(), image, writes);
  }

  public boolean readOnly() {
    return writes == null;
  }
}
