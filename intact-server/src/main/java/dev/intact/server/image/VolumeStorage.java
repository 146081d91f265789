package dev.intact.server.image;

import dev.intact.core.image.WritableImage;
import dev.intact.core.volume.Volume;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A ticket with {@code "storage": "volume"} (docs/volume-format.md) stores through the volume:
 * uploads land with their tags, downloads and checksum jobs read through verification (a rotten
 * block fails the request instead of being served), and the volume is locked against offline check
 * and repair while the ticket holds it. Only unkeyed volumes: the daemon has no key. The ticket
 * says so explicitly; a file is never taken for a volume by its first bytes.
 */
final class VolumeStorage {
  private VolumeStorage() {}

  static WritableImage open(Path path, boolean writable) throws IOException {
    return Volume.open(path, writable, null);
  }
}
