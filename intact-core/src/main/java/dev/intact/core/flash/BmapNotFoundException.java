package dev.intact.core.flash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** No bmap was given and none was found next to the image. */
public final class BmapNotFoundException extends IOException {
  public BmapNotFoundException(Path image, List<Path> tried) {
    super(
        "no bmap found for "
            + image
            + " (looked for "
            + tried.stream().map(Path::toString).collect(Collectors.joining(", "))
            + "); give one with --bmap FILE, or flash the whole image with --nobmap");
  }
}
