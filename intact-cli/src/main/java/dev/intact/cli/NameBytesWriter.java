package dev.intact.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Writes text as UTF-8, except the escaped bytes of file names ({@link FileNames#decode}: lone
 * surrogates U+DC80..U+DCFF), which go out as the bytes they stand for. So a name prints as the
 * file system holds it, as {@code sha256sum} prints it, whatever the locale.
 */
final class NameBytesWriter extends Writer {
  private static final byte[] QUESTION_MARK = {'?'};

  private final OutputStream out;
  private final byte[] buffer = new byte[1 << 16];
  private int buffered;

  /** A high surrogate whose low half has not been written yet, or 0. */
  private char pendingHigh;

  NameBytesWriter(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(char[] chars, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) {
      char c = chars[i];
      if (c < 0x80 && pendingHigh == 0) {
        if (buffered == buffer.length) {
          drain();
        }
        buffer[buffered++] = (byte) c;
      } else {
        writeSlow(c);
      }
    }
  }

  private void writeSlow(char c) throws IOException {
    if (pendingHigh != 0) {
      char high = pendingHigh;
      pendingHigh = 0;
      if (Character.isLowSurrogate(c)) {
        put(new String(new char[] {high, c}).getBytes(StandardCharsets.UTF_8));
        return;
      }
      put(QUESTION_MARK); // a high surrogate alone: no bytes spell it
    }
    if (c >= 0xDC80 && c <= 0xDCFF) {
      put(new byte[] {(byte) c});
    } else if (Character.isHighSurrogate(c)) {
      pendingHigh = c;
    } else if (Character.isSurrogate(c)) {
      put(QUESTION_MARK);
    } else {
      put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
    }
  }

  private void put(byte[] bytes) throws IOException {
    if (buffered + bytes.length > buffer.length) {
      drain();
    }
    System.arraycopy(bytes, 0, buffer, buffered, bytes.length);
    buffered += bytes.length;
  }

  private void drain() throws IOException {
    out.write(buffer, 0, buffered);
    buffered = 0;
  }

  @Override
  public void flush() throws IOException {
    drain();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    flush();
    out.close();
  }
}
