package dev.intact.core.flash;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where an image is flashed: a block device or a regular file, opened for this flash. Writes may
 * land in the page cache; {@link #readBack} must not be served from it.
 */
public interface FlashTarget extends Closeable {

  /** Name for messages: the path. */
  String name();

  boolean isBlockDevice();

  /**
   * True when bytes that are never written read as zeros (a regular file truncated for this flash),
   * so that writing zeros can be skipped to keep it sparse.
   */
  boolean unwrittenReadsZero();

  /**
   * Makes the target hold an image of {@code size} bytes: a regular file is truncated to it (it
   * stays sparse); a block device is checked to be large enough.
   *
   * @throws TargetTooSmallException if a device is smaller than the image
   */
  void setImageSize(long size) throws IOException;

  /** Writes all of {@code src[offset, offset+length)} at {@code position}. */
  void write(long position, byte[] src, int offset, int length) throws IOException;

  /** Makes every write durable (fsync). */
  void sync() throws IOException;

  /**
   * Reads exactly {@code length} bytes at {@code position} from the medium itself, bypassing the
   * page cache (O_DIRECT), so that what is read is what was stored.
   */
  void readBack(long position, byte[] dst, int offset, int length) throws IOException;
}
