package dev.intact.server;

import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import dev.intact.server.image.ImageBackend;
import java.io.IOException;

/**
 * A backend that passes every call to another: tests that make storage misbehave override only the
 * calls they tamper with (as Guava's Forwarding* classes do). Shared with the client's tests.
 */
public class ForwardingBackend implements ImageBackend {
  protected final ImageBackend inner;

  public ForwardingBackend(ImageBackend inner) {
    this.inner = inner;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public long size() throws IOException {
    return inner.size();
  }

  @Override
  public void read(long position, byte[] dst, int offset, int length) throws IOException {
    inner.read(position, dst, offset, length);
  }

  @Override
  public void write(long position, byte[] src, int offset, int length) throws IOException {
    inner.write(position, src, offset, length);
  }

  @Override
  public void zero(long position, long length) throws IOException {
    inner.zero(position, length);
  }

  @Override
  public void zeroAllocated(long position, long length) throws IOException {
    inner.zeroAllocated(position, length);
  }

  @Override
  public void flush() throws IOException {
    inner.flush();
  }

  @Override
  public Extent extentAt(long position, long end) throws IOException {
    return inner.extentAt(position, end);
  }

  @Override
  public Image storage() throws IOException {
    return inner.storage();
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }
}
