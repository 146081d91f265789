package dev.intact.server.image;

import dev.intact.core.image.WritableImage;
import dev.intact.core.volume.Volume;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A ticket whose file is an integrity volume (docs/volume-format.md) stores through the volume:
 * uploads land with their tags, downloads and checksum jobs read through verification (a rotten
 * block fails the request instead of being served), and the volume is locked against offline check
 * and repair while the ticket holds it. Only unkeyed volumes: the daemon has no key.
 */
final class VolumeStorage {
  private static final byte[] MAGIC = "INTACTVL".getBytes(StandardCharsets.US_ASCII);

  private VolumeStorage() {}

  /** Whether the regular file at {@code path} starts with the volume magic. */
  static boolean isVolume(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(MAGIC.length);
      while (head.hasRemaining() && ch.read(head) > 0) {
        // a short read of a regular file only happens at its end
      }
      return !head.hasRemaining() && Arrays.equals(head.array(), MAGIC);
    }
  }

  static WritableImage open(Path path, boolean writable) throws IOException {
    return Volume.open(path, writable, null);
  }
}
