package dev.intact.client;

import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Where a transfer reads: a local image, or an image on a daemon. */
interface TransferSource {

  String describe();

  long size() throws IOException;

  /** The extents covering {@code [start, end)}, clipped to it. */
  List<Extent> extents(long start, long end) throws IOException;

  void read(long position, byte[] dst, int offset, int length) throws IOException;

  /** A local file or device, read with its allocation map (holes are never read). */
  record Local(Image image) implements TransferSource {
    @Override
    public String describe() {
      return image.name();
    }

    @Override
    public long size() throws IOException {
      return image.size();
    }

    @Override
    public List<Extent> extents(long start, long end) throws IOException {
      List<Extent> out = new ArrayList<>();
      for (long pos = start; pos < end; ) {
        Extent e = image.extentAt(pos, end);
        out.add(e);
        pos = e.end();
      }
      return out;
    }

    @Override
    public void read(long position, byte[] dst, int offset, int length) throws IOException {
      image.readFully(position, dst, offset, length);
    }
  }

  /** An image on a daemon; its extents are fetched once. */
  final class Remote implements TransferSource {
    private final ImageClient client;
    private List<Extent> all;

    Remote(ImageClient client) {
      this.client = client;
    }

    ImageClient client() {
      return client;
    }

    @Override
    public String describe() {
      return client.describe();
    }

    private synchronized List<Extent> all() throws IOException {
      if (all == null) {
        all = client.extents(0, -1);
      }
      return all;
    }

    @Override
    public long size() throws IOException {
      List<Extent> a = all();
      return a.isEmpty() ? 0 : a.getLast().end();
    }

    @Override
    public List<Extent> extents(long start, long end) throws IOException {
      List<Extent> a = all();
      int lo = 0;
      int hi = a.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (a.get(mid).end() <= start) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      List<Extent> out = new ArrayList<>();
      for (int i = lo; i < a.size() && a.get(i).start() < end; i++) {
        Extent e = a.get(i);
        long s = Math.max(start, e.start());
        long t = Math.min(end, e.end());
        out.add(new Extent(s, t - s, e.zero()));
      }
      return out;
    }

    @Override
    public void read(long position, byte[] dst, int offset, int length) throws IOException {
      client.read(position, dst, offset, length);
    }
  }
}
