package dev.intact.core.bmap;

/**
 * The {@code version} attribute of a bmap file: {@code major.minor}.
 *
 * <p>The checksum vocabulary changed with the version: 1.0–1.3 only know SHA-1 ({@code sha1=}
 * attributes, {@code BmapFileSHA1} from 1.3 on); 2.0 introduced {@code ChecksumType}, {@code
 * chksum=} and {@code BmapFileChecksum}. bmap-tools 3.0 wrote "1.4" by mistake with the 2.0
 * vocabulary, so 1.4 is read as 2.0 (as bmaptool does).
 */
public record BmapVersion(int major, int minor) implements Comparable<BmapVersion> {

  /** The version Intact writes. */
  public static final BmapVersion CURRENT = new BmapVersion(2, 0);

  /** The newest major version Intact reads. */
  public static final int SUPPORTED_MAJOR = 2;

  public BmapVersion {
    if (major < 0 || minor < 0) {
      throw new IllegalArgumentException("negative bmap version " + major + "." + minor);
    }
  }

  /** True when the file names its checksum type and uses {@code chksum=} (2.x and 1.4). */
  public boolean hasChecksumType() {
    return major >= 2 || (major == 1 && minor == 4);
  }

  /** True when the file carries a checksum of itself (1.3 and later). */
  public boolean hasFileChecksum() {
    return major >= 2 || (major == 1 && minor >= 3);
  }

  /** Name of a range's checksum attribute. */
  public String rangeChecksumAttribute() {
    return hasChecksumType() ? "chksum" : "sha1";
  }

  /** Name of the element holding the file's own checksum. */
  public String fileChecksumElement() {
    return hasChecksumType() ? "BmapFileChecksum" : "BmapFileSHA1";
  }

  @Override
  public int compareTo(BmapVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
