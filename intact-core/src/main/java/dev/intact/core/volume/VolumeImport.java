package dev.intact.core.volume;

import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import java.io.IOException;

/**
 * Fills a new volume from an image: its data extents are written through the volume (tagged and
 * journaled), its holes are left as the never-written blocks that already read as zeros.
 */
public final class VolumeImport {
  private static final int CHUNK = 1 << 20;

  private VolumeImport() {}

  /** Copies {@code source} into {@code volume} and makes it durable; returns the bytes written. */
  public static long copy(Image source, Volume volume) throws IOException {
    long size = source.size();
    if (size > volume.size()) {
      throw new IOException(
          source.name() + " has " + size + " bytes, more than the volume's " + volume.size());
    }
    byte[] buf = new byte[CHUNK];
    long written = 0;
    for (long pos = 0; pos < size; ) {
      Extent x = source.extentAt(pos, size);
      if (!x.zero()) {
        for (long p = pos; p < x.end(); ) {
          int n = (int) Math.min(CHUNK, x.end() - p);
          source.readFully(p, buf, 0, n);
          volume.write(p, buf, 0, n);
          p += n;
          written += n;
        }
      }
      pos = x.end();
    }
    volume.flush();
    return written;
  }
}
