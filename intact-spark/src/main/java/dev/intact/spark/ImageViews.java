package dev.intact.spark;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.format.ImageFormat;
import dev.intact.core.image.Image;
import dev.intact.core.image.LocalImage;
import dev.intact.core.image.SectorPaddedImage;
import java.io.IOException;

/**
 * The image a checksum covers, as {@code intact sum} opens a raw file: a block-hash list covers the
 * file padded to a whole 512-byte sector (as blksum and imageio read it, through qemu-nbd); a
 * whole-stream value covers the file's bytes. A block-hash list of a qcow2 (or other non-raw) file
 * covers the guest's disk in {@code intact sum}, which needs qemu-nbd on the reading host: the job
 * refuses such a file rather than give a value one machine would not. Local paths are read with
 * intact-core's native, hole-aware reads; other Hadoop URIs ({@code hdfs://}, {@code s3a://})
 * through {@link HadoopImage}.
 */
final class ImageViews {
  private static final int PROBE = 512;

  private ImageViews() {}

  /**
   * @param hadoop the configuration to open a non-local URI with (null when every input is local)
   */
  static Image open(String path, ChecksumType type, HadoopConf hadoop) throws IOException {
    Image file =
        Locations.isLocal(path)
            ? LocalImage.openRead(Locations.local(path))
            : HadoopImage.open(path, hadoop.configuration());
    try {
      if (!(type instanceof BlockHashList)) {
        return file;
      }
      String format = format(file);
      if (!format.equals("raw")) {
        throw new IOException(
            "is a "
                + format
                + " image: its block-hash list covers the guest's disk, which the Spark job does"
                + " not read; sum it with intact sum");
      }
      return SectorPaddedImage.of(file);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  private static String format(Image file) throws IOException {
    byte[] head = new byte[(int) Math.min(PROBE, file.size())];
    file.readFully(0, head, 0, head.length);
    return ImageFormat.detect(head, head.length);
  }
}
