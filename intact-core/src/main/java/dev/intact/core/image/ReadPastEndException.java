package dev.intact.core.image;

import java.io.EOFException;

/** A read of an image that reaches before its start or past its end. */
public final class ReadPastEndException extends EOFException {
  private final String imageName;
  private final long position;
  private final long length;
  private final long size;

  public ReadPastEndException(String imageName, long position, long length, long size) {
    super(
        imageName
            + ": read of "
            + length
            + " bytes at "
            + position
            + " is past the end ("
            + size
            + " bytes)");
    this.imageName = imageName;
    this.position = position;
    this.length = length;
    this.size = size;
  }

  /** Throws unless {@code [position, position + length)} lies within {@code [0, size)}. */
  public static void check(String imageName, long position, long length, long size)
      throws ReadPastEndException {
    if (position < 0 || length < 0 || position > size - length) {
      throw new ReadPastEndException(imageName, position, length, size);
    }
  }

  public String imageName() {
    return imageName;
  }

  public long position() {
    return position;
  }

  public long length() {
    return length;
  }

  public long size() {
    return size;
  }
}
