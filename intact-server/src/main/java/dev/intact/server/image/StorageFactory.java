package dev.intact.server.image;

import dev.intact.core.image.LocalImage;
import dev.intact.core.image.ReadOnlyImageException;
import dev.intact.core.image.WritableImage;
import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.nbd.client.NbdUri;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens the storage of a ticket as the core's {@link WritableImage}, once per ticket, shared by its
 * concurrent requests. Tests wrap the real one to inject faults.
 *
 * <p>A file or block device is a {@link LocalImage} (holes punched and found with fallocate and
 * SEEK_DATA/SEEK_HOLE, BLKZEROOUT on devices, O_DIRECT reads for verification); an NBD export is an
 * {@link NbdImage} (one connection per ticket with the ticket's requests all in flight on it,
 * WRITE_ZEROES that may punch holes, block status for extents). NBD has no O_DIRECT: a checksum job
 * flushes (NBD_CMD_FLUSH makes the server write its cache to its storage) and then reads through
 * the export, trusting the server's cache to be coherent with what it stored, the same guarantee
 * ovirt-imageio's NBD backend gives.
 */
@FunctionalInterface
public interface StorageFactory {

  /** A regular file or block device. */
  WritableImage open(Path path, boolean blockDevice, boolean writable) throws IOException;

  /**
   * An NBD export: through the core's NBD client unless a test wraps it.
   *
   * @throws ReadOnlyImageException if {@code writable} but the server exports it read-only
   */
  default WritableImage openNbd(NbdUri uri, boolean writable) throws IOException {
    NbdImage image = NbdImage.open(uri);
    if (writable && image.client().info().readOnly()) {
      image.close();
      throw new ReadOnlyImageException(uri.toString());
    }
    return image;
  }

  /**
   * A regular file that is an integrity volume (a ticket with {@code "storage": "volume"}), stored
   * through the volume: what the ticket stores is tagged and what it reads is verified.
   *
   * @throws java.io.IOException naming why it is no usable volume, or who holds it
   */
  default WritableImage openVolume(Path path, boolean writable) throws IOException {
    return VolumeStorage.open(path, writable);
  }

  /** Regular files and block devices through the core I/O layer, their bytes as they are. */
  StorageFactory STORAGE =
      (path, blockDevice, writable) ->
          writable ? LocalImage.openWrite(path) : LocalImage.openRead(path);
}
