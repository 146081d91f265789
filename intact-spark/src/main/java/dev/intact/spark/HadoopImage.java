package dev.intact.spark;

import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import dev.intact.core.image.RangeOutOfBoundsException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A file of any Hadoop filesystem (HDFS, S3A, ...) read with positioned reads, which Hadoop's
 * filesystem contract makes safe for concurrent use. Hadoop's API exposes no allocation map, so the
 * whole file is one data extent: nothing is skipped unread (the engine still gives zero blocks
 * their precomputed digest).
 */
final class HadoopImage implements Image {
  private final String name;
  private final long size;
  private final FSDataInputStream in;

  private HadoopImage(String name, long size, FSDataInputStream in) {
    this.name = name;
    this.size = size;
    this.in = in;
  }

  static HadoopImage open(String name, Configuration conf) throws IOException {
    Path path = new Path(name);
    FileSystem fs = path.getFileSystem(conf);
    FileStatus status = fs.getFileStatus(path);
    if (!status.isFile()) {
      throw new IOException("not a regular file");
    }
    return new HadoopImage(name, status.getLen(), fs.open(path));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
    in.readFully(position, dst, offset, length);
  }

  @Override
  public Extent extentAt(long position, long end) {
    if (position < 0 || end > size || position >= end) {
      throw new RangeOutOfBoundsException(
          new ByteRange(position, Math.max(position, end)), size, name);
    }
    return new Extent(position, end - position, false);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
