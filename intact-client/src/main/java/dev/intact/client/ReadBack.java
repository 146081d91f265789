package dev.intact.client;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.image.WritableImage;
import java.io.IOException;

/**
 * Proves a local destination holds what was received: after the transfer's flush, its storage is
 * read back ({@link WritableImage#readDirect}: O_DIRECT for a file, through qemu-nbd for a qcow2)
 * and checksummed the way the source was, so a format layer that mis-wrote is caught.
 */
final class ReadBack {
  private ReadBack() {}

  /**
   * @throws ChecksumMismatchException naming both values if the destination reads back different
   */
  static void verify(WritableImage sink, TransferResult received) throws IOException {
    Checksum back =
        ChecksumEngine.withDefaultThreads()
            .compute(
                sink.directView(),
                received.checksum().type(),
                received.range(),
                ProgressListener.NONE);
    if (!received.checksum().matches(back)) {
      throw ChecksumMismatchException.between(
          sink.name(),
          received.range(),
          received.checksum(),
          "the bytes received",
          back,
          "the destination read back");
    }
  }
}
