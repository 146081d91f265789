package dev.intact.core.bmap;

import dev.intact.core.image.LocalImage;
import java.io.IOException;
import java.nio.file.Path;

/** Breaks the bmap format rule on purpose: format code that opens an image to measure it. */
public final class ViolatingBmapWithImage {
  private ViolatingBmapWithImage() {}

  public static long imageSize(Path path) throws IOException {
    try (LocalImage image = LocalImage.openRead(path)) {
      return image.size();
    }
  }
}
