package dev.intact.spark;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.image.Image;
import dev.intact.core.image.LocalImage;
import dev.intact.core.image.SectorPaddedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The image a checksum covers, as {@code intact sum} opens a raw file: a block-hash list covers the
 * file padded to a whole 512-byte sector (as blksum and imageio read it, through qemu-nbd); a
 * whole-stream value covers the file's bytes.
 */
final class ImageViews {
  private ImageViews() {}

  static Image open(String path, ChecksumType type) throws IOException {
    LocalImage file = LocalImage.openRead(Path.of(path));
    try {
      return type instanceof BlockHashList ? SectorPaddedImage.of(file) : file;
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }
}
