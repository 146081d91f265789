package dev.intact.cli;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.image.ByteRange;
import java.io.Closeable;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/** An opened input of {@code intact sum}: a file, a block device, or standard input. */
interface Source extends Closeable {

  /** The name as the user typed it ({@code -} for standard input). */
  String name();

  /** Size in bytes; empty for a stream, whose size is known only at its end. */
  OptionalLong size() throws IOException;

  /**
   * Computes a checksum over {@code range} (null: everything), reporting bytes done to {@code
   * progress} (holes count as done at once).
   */
  Checksum sum(ChecksumType type, ByteRange range, LongConsumer progress) throws IOException;
}
