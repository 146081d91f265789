package dev.intact.server.image;

import dev.intact.core.io.Extent;
import dev.intact.core.io.Image;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A regular file or block device accessed with positional reads and writes. */
public final class FileBackend implements ImageBackend {
  private static final int ZERO_CHUNK = 1 << 20;

  private final Path path;
  private final FileChannel channel;

  private FileBackend(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  public static FileBackend open(Path path, boolean writable) throws IOException {
    OpenOption[] options =
        writable
            ? new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
            : new OpenOption[] {StandardOpenOption.READ};
    return new FileBackend(path, FileChannel.open(path, options));
  }

  @Override
  public String name() {
    return path.toString();
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public void read(long position, byte[] dst, int offset, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(dst, offset, length);
    long pos = position;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, pos);
      if (n < 0) {
        throw new EOFException(
            path + " ended at " + pos + " while reading " + length + " bytes at " + position);
      }
      pos += n;
    }
  }

  @Override
  public void write(long position, byte[] src, int offset, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(src, offset, length);
    long pos = position;
    while (buf.hasRemaining()) {
      pos += channel.write(buf, pos);
    }
  }

  @Override
  public void zero(long position, long length) throws IOException {
    byte[] zeros = new byte[(int) Math.min(ZERO_CHUNK, length)];
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(zeros.length, length - done);
      write(position + done, zeros, 0, n);
      done += n;
    }
  }

  @Override
  public void flush() throws IOException {
    channel.force(false);
  }

  @Override
  public Extent extentAt(long position, long end) {
    return new Extent(position, end - position, false);
  }

  @Override
  public Image storage() {
    return new Image() {
      @Override
      public String name() {
        return path.toString();
      }

      @Override
      public long size() throws IOException {
        return channel.size();
      }

      @Override
      public void readFully(long position, byte[] dst, int offset, int length)
          throws IOException {
        read(position, dst, offset, length);
      }

      @Override
      public Extent extentAt(long position, long end) {
        return FileBackend.this.extentAt(position, end);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
