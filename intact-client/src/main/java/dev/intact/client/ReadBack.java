package dev.intact.client;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ProgressListener;
import dev.intact.core.io.Extent;
import dev.intact.core.io.Image;
import dev.intact.core.io.WritableImage;
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
                storage(sink), received.checksum().type(), received.range(), ProgressListener.NONE);
    if (!received.checksum().matches(back)) {
      throw new ChecksumMismatchException(
          "download to " + sink.name(),
          received.checksum(),
          "the bytes received",
          back,
          "the destination read back",
          received.range());
    }
  }

  private static Image storage(WritableImage sink) {
    return new Image() {
      @Override
      public String name() {
        return sink.name();
      }

      @Override
      public long size() throws IOException {
        return sink.size();
      }

      @Override
      public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
        sink.readDirect(position, dst, offset, length);
      }

      @Override
      public Extent extentAt(long position, long end) throws IOException {
        return sink.extentAt(position, end);
      }

      @Override
      public void close() {}
    };
  }
}
