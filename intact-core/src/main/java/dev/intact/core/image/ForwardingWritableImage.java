package dev.intact.core.image;

import java.io.IOException;

/**
 * A {@link WritableImage} that passes every call to another: a wrapper overrides only what it
 * changes (a write that fails or corrupts, a flush that is counted). Reads follow {@link
 * ForwardingImage}'s rule; {@link #directView} is the interface's, so it reads through this image's
 * {@link #readDirect}. The {@code writeDirect} methods and the native-memory {@code readDirect} are
 * the interface's too (through {@link #write} and the array {@link #readDirect}), so a wrapper that
 * changes those two is never bypassed.
 */
public class ForwardingWritableImage extends ForwardingImage implements WritableImage {
  private final WritableImage delegate;

  public ForwardingWritableImage(WritableImage delegate) {
    super(delegate);
    this.delegate = delegate;
  }

  @Override
  public WritableImage delegate() {
    return delegate;
  }

  @Override
  public void write(long position, byte[] src, int offset, int length) throws IOException {
    delegate.write(position, src, offset, length);
  }

  @Override
  public void zero(long position, long length) throws IOException {
    delegate.zero(position, length);
  }

  @Override
  public void zeroAllocated(long position, long length) throws IOException {
    delegate.zeroAllocated(position, length);
  }

  @Override
  public boolean resizable() {
    return delegate.resizable();
  }

  @Override
  public void resize(long size) throws IOException {
    delegate.resize(size);
  }

  @Override
  public void flush() throws IOException {
    delegate.flush();
  }

  @Override
  public void startWriteback(long position, long length) throws IOException {
    delegate.startWriteback(position, length);
  }

  @Override
  public void readDirect(long position, byte[] dst, int offset, int length) throws IOException {
    delegate.readDirect(position, dst, offset, length);
  }
}
