package dev.intact.cli;

import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A small regular file read through a {@link FileChannel} for a whole-stream checksum, or for a
 * block-hash list when it is raw (issue 16: start-up). {@link dev.intact.core.image.LocalImage}
 * goes through FFM, and linking its five downcalls (open, fstat, lseek, pread, close) was about a
 * quarter of the CPU time of {@code intact sum -a sha256} of a 1 MiB file: the AOT cache cannot
 * hold the generated stubs, while FileChannel is JNI and comes from the cache. Skipping holes gains
 * nothing here: a whole-stream value hashes every zero anyway, a block-hash list gives a block of
 * zeros read the digest a hole would get, and reading up to {@link #MAX_SIZE} bytes of a hole costs
 * less than linking. The whole file is one data extent.
 */
final class SmallFileImage implements Image {
  /** Files up to this size are read this way; larger ones keep the sparse-aware native path. */
  static final long MAX_SIZE = 16L << 20;

  private final String name;
  private final FileChannel channel;

  private SmallFileImage(String name, FileChannel channel) {
    this.name = name;
    this.channel = channel;
  }

  /** Whether {@code path} is a regular file this class should read (links followed). */
  static boolean fits(Path path) throws IOException {
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    return a.isRegularFile() && a.size() <= MAX_SIZE;
  }

  /** Opens {@code path} for reading. */
  static SmallFileImage openRead(Path path) throws IOException {
    return openRead(path, path.toString());
  }

  /** Opens {@code path} for reading, naming it {@code name} (as the user spelled it). */
  static SmallFileImage openRead(Path path, String name) throws IOException {
    return new SmallFileImage(name, FileChannel.open(path, StandardOpenOption.READ));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  /**
   * @throws EOFException naming the file and the offset if the file ends first (it shrank)
   */
  @Override
  public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(dst, offset, length);
    while (buf.hasRemaining()) {
      long at = position + (buf.position() - offset);
      if (channel.read(buf, at) < 0) {
        throw new EOFException(name + " ends at " + at + ", before " + (position + length));
      }
    }
  }

  @Override
  public Extent extentAt(long position, long end) {
    return new Extent(position, end - position, false);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return name;
  }
}
