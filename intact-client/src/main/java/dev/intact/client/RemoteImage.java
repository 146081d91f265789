package dev.intact.client;

import dev.intact.core.image.Extent;
import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.util.List;

/**
 * An image on a daemon as the core's {@link WritableImage}: reads are ranged GETs, writes PUTs with
 * {@code Content-Range}, zeros and flushes PATCH requests. Its extents are fetched once, on first
 * use, and answer every later {@link #extentAt} and {@link #size}. The daemon reads its own
 * storage, so {@link #readDirect} is an ordinary read; proof that the storage holds the bytes comes
 * from the daemon's checksum jobs ({@link ImageClient#checksum}), not from reading back.
 */
final class RemoteImage implements WritableImage {
  private final ImageClient client;
  private List<Extent> extents;

  RemoteImage(ImageClient client) {
    this.client = client;
  }

  ImageClient client() {
    return client;
  }

  @Override
  public String name() {
    return client.describe();
  }

  private synchronized List<Extent> extents() throws IOException {
    if (extents == null) {
      extents = client.extents(0, -1);
    }
    return extents;
  }

  @Override
  public long size() throws IOException {
    List<Extent> all = extents();
    return all.isEmpty() ? 0 : all.getLast().end();
  }

  /** The extent holding {@code position}, clipped to {@code [position, end)}. */
  @Override
  public Extent extentAt(long position, long end) throws IOException {
    List<Extent> all = extents();
    int lo = 0;
    int hi = all.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (all.get(mid).end() <= position) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo == all.size() || position >= end) {
      throw new IOException(position + " is past the end of " + name() + " (" + size() + ")");
    }
    Extent e = all.get(lo);
    return new Extent(position, Math.min(end, e.end()) - position, e.zero());
  }

  @Override
  public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
    client.read(position, dst, offset, length);
  }

  @Override
  public void readDirect(long position, byte[] dst, int offset, int length) throws IOException {
    client.read(position, dst, offset, length);
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

  /** The daemon's connections belong to the {@link TransferClient}: nothing to release here. */
  @Override
  public void close() {}
}
