package dev.intact.spark;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.format.ImageFormat;
import dev.intact.core.image.Image;
import dev.intact.core.image.LocalImage;
import dev.intact.core.image.SectorPaddedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The image a checksum covers, as {@code intact sum} opens a raw file: a block-hash list covers the
 * file padded to a whole 512-byte sector (as blksum and imageio read it, through qemu-nbd); a
 * whole-stream value covers the file's bytes. A block-hash list of a qcow2 (or other non-raw) file
 * covers the guest's disk in {@code intact sum}, which needs qemu-nbd on the reading host: the job
 * refuses such a file rather than give a value one machine would not.
 */
final class ImageViews {
  private ImageViews() {}

  static Image open(String path, ChecksumType type) throws IOException {
    if (type instanceof BlockHashList) {
      String format = ImageFormat.detect(Path.of(path), 0);
      if (!format.equals("raw")) {
        throw new IOException(
            "is a "
                + format
                + " image: its block-hash list covers the guest's disk, which the Spark job does"
                + " not read; sum it with intact sum");
      }
    }
    LocalImage file = LocalImage.openRead(Path.of(path));
    try {
      return type instanceof BlockHashList ? SectorPaddedImage.of(file) : file;
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }
}
