package dev.intact.cli;

import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.image.ByteRange;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * Computes the checksum of one named input over the range asked for, with a progress bar for long
 * sums when stderr is a terminal. Shared by plain sums and {@code -c}.
 */
final class Summing {
  private final Sources sources;
  private final RangeSpec defaultRange;
  private final Progress progress = Progress.onStderr();

  /**
   * @param defaultRange the {@code --range} of the command line, or null for whole inputs
   */
  Summing(Sources sources, RangeSpec defaultRange) {
    this.sources = sources;
    this.defaultRange = defaultRange;
  }

  /**
   * @param range the range for this input (a JSON sum line's), or null for the default
   * @throws IllegalArgumentException for a range outside the input, or on a stream
   */
  SumResult sum(String name, ChecksumType type, RangeSpec range) throws IOException {
    RangeSpec wanted = range != null ? range : defaultRange;
    try (Source source = sources.open(name, type)) {
      OptionalLong size = source.size();
      ByteRange resolved = null;
      if (wanted != null) {
        if (size.isEmpty()) {
          throw new IllegalArgumentException("--range needs a file or device, not a stream");
        }
        resolved = wanted.resolve(size.getAsLong(), name);
      }
      long total = resolved != null ? resolved.length() : size.orElse(-1);
      try (Progress.Task task = progress.start(name, total)) {
        return new SumResult(name, source.sum(type, resolved, task.listener()), resolved);
      }
    }
  }
}
