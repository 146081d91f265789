package dev.intact.core.testing;

import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import java.io.IOException;

/**
 * An {@link Image} that passes every call to another: tests override only the call whose behaviour
 * they change (a failing read, a wrong size, late reads). {@link #startRead} is the interface's: it
 * goes through this image's own {@link #readFully}, so an override of that is never bypassed.
 */
public abstract class ForwardingImage implements Image {
  protected final Image delegate;

  protected ForwardingImage(Image delegate) {
    this.delegate = delegate;
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
  public void close() throws IOException {
    delegate.close();
  }
}
