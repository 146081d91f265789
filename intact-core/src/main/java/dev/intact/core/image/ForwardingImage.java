package dev.intact.core.image;

import java.io.IOException;

/**
 * An {@link Image} that passes every call to another, so a wrapper overrides only the calls whose
 * behaviour it changes (a failing read, a wrong size, reads that verify what they return), as
 * Okio's {@code ForwardingSource} does for streams.
 *
 * <p>{@link #startRead} and {@link #pipelinesReads} are the interface's own: a started read goes
 * through this image's {@link #readFully}, so an override of that is never bypassed by a faster
 * path of the delegate.
 */
public class ForwardingImage implements Image {
  private final Image delegate;

  public ForwardingImage(Image delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  /** The image calls are passed to. */
  public Image delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public long size() throws IOException {
    return delegate.size();
  }

  @Override
  public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
    delegate.readFully(position, dst, offset, length);
  }

  @Override
  public Extent extentAt(long position, long end) throws IOException {
    return delegate.extentAt(position, end);
  }

  @Override
  public java.util.Optional<ImageStamp> stamp() throws IOException {
    return delegate.stamp();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + delegate + ")";
  }
}
