package dev.intact.client;

import dev.intact.core.image.Image;
import dev.intact.core.image.WritableImage;
import java.util.Optional;

/**
 * One side of a transfer: the image its bytes are read from or written to, and the daemon serving
 * it when it is remote. A daemon can be asked for the checksum of its storage and for its block
 * digests, which is how that side is verified and repaired; a local side has no daemon.
 */
record Endpoint<I extends Image>(I image, Optional<ImageClient> daemon) {

  static <I extends Image> Endpoint<I> local(I image) {
    return new Endpoint<>(image, Optional.empty());
  }

  static Endpoint<WritableImage> remote(ImageClient daemon) {
    return new Endpoint<>(new RemoteImage(daemon), Optional.of(daemon));
  }

  String describe() {
    return image.name();
  }

  boolean isRemote() {
    return daemon.isPresent();
  }
}
