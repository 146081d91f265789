package dev.intact.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The lines of a sum file, read as a stream in constant memory: a line of up to {@link #maxLength}
 * bytes is handed out as a slice of the buffer, a longer one only as "too long" (its bytes are
 * skipped up to the next newline), so neither a huge file nor a huge line ({@code -c /dev/zero})
 * can exhaust memory.
 */
final class SumFileLines implements Closeable {
  private final InputStream in;
  private final int maxLength;
  private final byte[] buffer;
  private int position;
  private int limit;
  private boolean eof;

  private int lineStart;
  private int lineLength;
  private boolean tooLong;
  private long number;

  SumFileLines(InputStream in, int maxLength) {
    this.in = in;
    this.maxLength = maxLength;
    this.buffer = new byte[maxLength + (1 << 16)];
  }

  /** Moves to the next line (without its newline); false at the end of the file. */
  boolean next() throws IOException {
    tooLong = false;
    int scanned = position;
    while (true) {
      int nl = indexOfNewline(scanned, limit);
      if (nl >= 0) {
        tooLong = nl - position > maxLength;
        take(nl - position, nl + 1);
        return true;
      }
      if (limit - position > maxLength) {
        skipPastNewline();
        tooLong = true;
        number++;
        return true;
      }
      if (eof) {
        if (position == limit) {
          return false;
        }
        take(limit - position, limit);
        return true;
      }
      scanned = limit - position;
      fill();
    }
  }

  private void take(int length, int next) {
    lineStart = position;
    lineLength = length;
    position = next;
    number++;
  }

  /** Moves the unread bytes to the front of the buffer and reads more after them. */
  private void fill() throws IOException {
    System.arraycopy(buffer, position, buffer, 0, limit - position);
    limit -= position;
    position = 0;
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
    }
  }

  private void skipPastNewline() throws IOException {
    while (true) {
      int nl = indexOfNewline(position, limit);
      if (nl >= 0) {
        position = nl + 1;
        return;
      }
      position = limit;
      if (eof) {
        return;
      }
      fill();
    }
  }

  private int indexOfNewline(int from, int to) {
    for (int i = from; i < to; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Whether the current line was longer than the limit (and is not available). */
  boolean tooLong() {
    return tooLong;
  }

  /** The current line's number, from 1. */
  long number() {
    return number;
  }

  /** The current line, decoded as file names are ({@link FileNames#decode}). */
  String text() {
    return FileNames.decode(buffer, lineStart, lineLength);
  }

  int maxLength() {
    return maxLength;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
