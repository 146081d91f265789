package dev.intact.client;

import java.io.IOException;

/** A transfer would write to an image whose ticket only allows reading. */
public final class ReadOnlyTicketException extends IOException {
  private final String image;

  public ReadOnlyTicketException(String image, java.util.List<String> allowed) {
    super(
        image
            + " does not allow write: its ticket is read-only (OPTIONS allows "
            + String.join(", ", allowed)
            + ")");
    this.image = image;
  }

  /** The image URL, its ticket id shortened. */
  public String image() {
    return image;
  }
}
