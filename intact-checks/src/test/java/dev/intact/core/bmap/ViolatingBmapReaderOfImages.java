package dev.intact.core.bmap;

import java.io.IOException;
import java.io.RandomAccessFile;

/** Breaks the bmap format rule on purpose: format code that reads the image itself. */
public final class ViolatingBmapReaderOfImages {
  private ViolatingBmapReaderOfImages() {}

  public static long imageSize(String path) throws IOException {
    try (RandomAccessFile image = new RandomAccessFile(path, "r")) {
      return image.length();
    }
  }
}
