package dev.intact.core.flash;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What to flash where.
 *
 * @param image the image file, or {@code -} for standard input
 * @param bmap the bmap to use; empty to discover it next to the image (unless {@code noBmap})
 * @param noBmap flash the whole image, verified by digests taken while writing
 */
public record FlashRequest(
    String image, Path destination, Optional<Path> bmap, boolean noBmap, FlashOptions options) {

  public static final String STDIN = "-";

  public FlashRequest {
    if (noBmap && bmap.isPresent()) {
      throw new IllegalArgumentException("--bmap and --nobmap exclude each other");
    }
  }
}
