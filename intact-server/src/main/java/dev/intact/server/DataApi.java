package dev.intact.server;

import java.util.List;

/**
 * Which data API the daemon serves. {@link #INTACT} is imageio's API plus Intact's checksum jobs
 * and block digests; {@link #IMAGEIO} is imageio's alone, its OPTIONS naming only imageio's
 * features, so the client's paths for a real ovirt-imageio daemon (verify through {@code
 * /checksum}, repair by reading back) are tested against a daemon CI can run.
 */
public enum DataApi {
  INTACT,
  /** What ovirt-imageio 2.5 answers (its OPTIONS, recorded in the core's test fixtures). */
  IMAGEIO;

  /** The features OPTIONS names for {@code *} and for a ticket that allows writes. */
  public List<String> features() {
    return this == IMAGEIO
        ? List.of("checksum", "extents", "flush", "zero")
        : List.of("checksum", "extents", "zero", "flush", "block-digests", "checksum-jobs");
  }

  /**
   * The features OPTIONS names for a read-only ticket: imageio leaves out the write features
   * ({@code flush}, {@code zero}); Intact's daemon names all of its own.
   */
  public List<String> readOnlyFeatures() {
    return this == IMAGEIO ? List.of("checksum", "extents") : features();
  }

  /** Whether the checksum-jobs and block-digests routes exist. */
  public boolean hasIntactExtensions() {
    return this == INTACT;
  }
}
