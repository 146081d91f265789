package dev.intact.core.format;

import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import dev.intact.core.image.ImageStamp;
import dev.intact.core.image.PendingRead;
import dev.intact.core.nbd.client.NbdClient;
import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.nbd.wire.Allocation;
import dev.intact.core.nbd.wire.BlockDescriptor;
import dev.intact.core.nbd.wire.Nbd;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An image opened by {@link ImageOpener}: the guest-visible bytes (read directly for raw and for a
 * qcow2 without backing file, else through qemu-nbd), what it was ({@code format}: qemu's driver
 * name, or {@code nbd} for an NBD URI), and its allocation map. Closing it stops any qemu-nbd
 * started for it.
 */
public final class OpenedImage implements Image {
  private final Image image;
  private final String format;
  private final String source;
  private final Path file; // the local file qemu-nbd reads, or null

  OpenedImage(Image image, String format, String source) {
    this(image, format, source, null);
  }

  OpenedImage(Image image, String format, String source, Path file) {
    this.image = image;
    this.format = format;
    this.source = source;
    this.file = file;
  }

  /** qemu's name for the format ({@code raw}, {@code qcow2}, {@code vmdk}...), or {@code nbd}. */
  public String format() {
    return format;
  }

  /** What the user named: a path, {@code archive.ova!member}, or an NBD URI. */
  public String source() {
    return source;
  }

  /**
   * The image this delegates to: a {@code LocalImage}, a {@code Qcow2Image} or an {@link NbdImage}.
   */
  public Image delegate() {
    return image;
  }

  @Override
  public String name() {
    return source;
  }

  @Override
  public long size() throws IOException {
    return image.size();
  }

  @Override
  public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
    image.readFully(position, dst, offset, length);
  }

  @Override
  public PendingRead startRead(long position, byte[] dst, int offset, int length)
      throws IOException {
    return image.startRead(position, dst, offset, length);
  }

  @Override
  public boolean pipelinesReads() {
    return image.pipelinesReads();
  }

  @Override
  public Extent extentAt(long position, long end) throws IOException {
    return image.extentAt(position, end);
  }

  /** The allocation map of {@code [start, end)}, adjacent runs of one kind merged. */
  public List<Allocation> allocation(long start, long end) throws IOException {
    List<Allocation> out = new ArrayList<>();
    if (image instanceof NbdImage nbd
        && nbd.client().info().metaContexts().contains(Nbd.BASE_ALLOCATION)) {
      NbdClient c = nbd.client();
      long pos = start;
      while (pos < end) {
        long len = Math.min(end - pos, 1L << 31);
        for (BlockDescriptor d : c.blockStatus(pos, len, false).of(Nbd.BASE_ALLOCATION)) {
          long n = Math.min(d.length(), end - pos);
          add(
              out,
              new Allocation(
                  pos, n, (d.flags() & Nbd.STATE_ZERO) != 0, (d.flags() & Nbd.STATE_HOLE) != 0));
          pos += n;
          if (pos >= end) {
            break;
          }
        }
      }
      return out;
    }
    for (long pos = start; pos < end; ) {
      Extent x = image.extentAt(pos, end);
      add(out, new Allocation(pos, x.length(), x.zero(), x.zero()));
      pos = x.end();
    }
    return out;
  }

  private static void add(List<Allocation> out, Allocation a) {
    if (!out.isEmpty()) {
      Allocation last = out.getLast();
      if (last.zero() == a.zero() && last.hole() == a.hole() && last.end() == a.start()) {
        out.set(
            out.size() - 1,
            new Allocation(last.start(), last.length() + a.length(), a.zero(), a.hole()));
        return;
      }
    }
    out.add(a);
  }

  /** The stamp of the file read: the raw file's own, or that of the file qemu-nbd reads. */
  @Override
  public Optional<ImageStamp> stamp() throws IOException {
    return file != null ? Optional.of(ImageStamp.of(file)) : image.stamp();
  }

  @Override
  public void close() throws IOException {
    image.close();
  }

  @Override
  public String toString() {
    return source + " (" + format + ")";
  }
}
