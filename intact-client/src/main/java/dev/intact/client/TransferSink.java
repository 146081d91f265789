package dev.intact.client;

import dev.intact.core.image.WritableImage;
import java.io.IOException;

/** Where a transfer writes: an image on a daemon, or a local file. */
interface TransferSink {

  String describe();

  void write(long position, byte[] src, int offset, int length) throws IOException;

  void zero(long position, long length) throws IOException;

  void flush() throws IOException;

  /** Sends nothing: the first pass of a verify-only run only records the source's digests. */
  TransferSink DISCARD =
      new TransferSink() {
        @Override
        public String describe() {
          return "(nothing)";
        }

        @Override
        public void write(long position, byte[] src, int offset, int length) {}

        @Override
        public void zero(long position, long length) {}

        @Override
        public void flush() {}
      };

  record Remote(ImageClient client) implements TransferSink {
    @Override
    public String describe() {
      return client.describe();
    }

    @Override
    public void write(long position, byte[] src, int offset, int length) throws IOException {
      client.write(position, src, offset, length);
    }

    @Override
    public void zero(long position, long length) throws IOException {
      client.zero(position, length);
    }

    @Override
    public void flush() throws IOException {
      client.flush();
    }
  }

  record Local(WritableImage image) implements TransferSink {
    @Override
    public String describe() {
      return image.name();
    }

    @Override
    public void write(long position, byte[] src, int offset, int length) throws IOException {
      image.write(position, src, offset, length);
    }

    @Override
    public void zero(long position, long length) throws IOException {
      image.zero(position, length);
    }

    @Override
    public void flush() throws IOException {
      image.flush();
    }
  }
}
