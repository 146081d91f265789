package dev.intact.core.flash;

import java.io.ByteArrayInputStream;
import java.util.OptionalLong;

/** An image in memory that can be read any number of times, as a file can. */
@SuppressWarnings("ArrayRecordComponent") // a test fixture: the array is never written
record BytesSource(String name, byte[] image, boolean announceSize) implements ImageSource {

  BytesSource(byte[] image) {
    this("memory-image", image, true);
  }

  @Override
  public Compression compression() {
    return Compression.NONE;
  }

  @Override
  public OptionalLong knownSize() {
    return announceSize ? OptionalLong.of(image.length) : OptionalLong.empty();
  }

  @Override
  public boolean reopenable() {
    return true;
  }

  @Override
  public SourceStream open() throws java.io.IOException {
    return SourceStream.open(name, Compression.NONE, new ByteArrayInputStream(image));
  }
}
