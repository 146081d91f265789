package dev.intact.core.flash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the bmap next to an image as bmaptool does: {@code IMAGE.bmap}, then with the image's
 * extensions stripped one by one ({@code os.img.xz} → {@code os.img.xz.bmap}, {@code os.img.bmap},
 * {@code os.bmap}).
 */
public final class BmapDiscovery {
  private BmapDiscovery() {}

  /** The paths bmaptool would try, in its order. */
  public static List<Path> candidates(Path image) {
    List<Path> out = new ArrayList<>();
    String name = image.getFileName().toString();
    while (true) {
      out.add(image.resolveSibling(name + ".bmap"));
      int dot = name.lastIndexOf('.');
      // Python's splitext: a leading dot (".hidden") is not an extension.
      if (dot <= 0 || name.substring(0, dot).chars().allMatch(c -> c == '.')) {
        return out;
      }
      name = name.substring(0, dot);
    }
  }

  /** The first candidate that is a readable regular file. */
  public static Optional<Path> find(Path image) {
    return candidates(image).stream()
        .filter(p -> Files.isRegularFile(p) && Files.isReadable(p))
        .findFirst();
  }

  /**
   * The bmap to use for {@code image}.
   *
   * @throws BmapNotFoundException naming every path tried
   */
  public static Path require(Path image) throws BmapNotFoundException {
    return find(image).orElseThrow(() -> new BmapNotFoundException(image, candidates(image)));
  }
}
