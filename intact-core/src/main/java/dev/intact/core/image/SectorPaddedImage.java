package dev.intact.core.image;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * An image as qemu presents a raw file: its size rounded up to a multiple of 512 bytes, the added
 * tail reading as zeros (a hole). {@code blksum FILE} and ovirt-imageio's {@code
 * client.checksum(path)} read every file through qemu-nbd, so their block-hash lists cover this
 * padded image (and blkhash's length suffix is the padded size); a checksum of the file itself
 * would differ from theirs whenever the size is not a multiple of 512.
 */
public final class SectorPaddedImage extends ForwardingImage {
  /** qemu's sector: the unit a raw file's size is rounded up to. */
  public static final int SECTOR = 512;

  private final long realSize;
  private final long paddedSize;

  private SectorPaddedImage(Image image, long realSize) {
    super(image);
    this.realSize = realSize;
    this.paddedSize = Math.ceilDiv(realSize, SECTOR) * SECTOR;
  }

  /**
   * {@code image} padded to a whole sector; an image that already ends on one is returned as is.
   */
  public static Image of(Image image) throws IOException {
    long size = image.size();
    return size % SECTOR == 0 ? image : new SectorPaddedImage(image, size);
  }

  @Override
  public long size() {
    return paddedSize;
  }

  @Override
  public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
    int real = realPart(position, length);
    if (real > 0) {
      delegate().readFully(position, dst, offset, real);
    }
    Arrays.fill(dst, offset + real, offset + length, (byte) 0);
  }

  @Override
  public PendingRead startRead(long position, byte[] dst, int offset, int length)
      throws IOException {
    int real = realPart(position, length);
    Arrays.fill(dst, offset + real, offset + length, (byte) 0);
    return real > 0 ? delegate().startRead(position, dst, offset, real) : PendingRead.DONE;
  }

  @Override
  public boolean pipelinesReads() {
    return delegate().pipelinesReads();
  }

  @Override
  public Extent extentAt(long position, long end) throws IOException {
    if (position >= realSize) {
      return new Extent(position, Math.min(end, paddedSize) - position, true);
    }
    return delegate().extentAt(position, Math.min(end, realSize));
  }

  /** How many of the {@code length} bytes at {@code position} come from the image itself. */
  private int realPart(long position, int length) throws EOFException {
    if (position < 0 || length < 0 || position + length > paddedSize) {
      throw new EOFException(
          name()
              + ": read of "
              + length
              + " bytes at "
              + position
              + " is past the end of the padded size "
              + paddedSize);
    }
    return Math.clamp(realSize - position, 0, length);
  }

  @Override
  public String toString() {
    return name() + " padded from " + realSize + " to " + paddedSize + " bytes";
  }
}
