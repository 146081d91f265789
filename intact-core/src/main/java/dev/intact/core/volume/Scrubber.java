package dev.intact.core.volume;

import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Reads a whole volume through its verification — a served one over NBD, whose server answers a
 * block that fails its tag with EIO, or an offline one directly — at a limited rate, and records
 * where it got to in a state file, so a scrub that is killed resumes instead of starting over. A
 * chunk that fails is read again block by block to name exactly the bad blocks.
 */
public final class Scrubber {
  private static final int CHUNK = 1 << 20;
  private static final long SAVE_EVERY = 64L << 20;

  private final Image image;
  private final int blockSize;
  private final long rate;
  private final Path state;

  /**
   * @param blockSize the granularity to name bad blocks at (the volume's block size)
   * @param rate bytes per second, 0 for unlimited
   * @param state where progress is kept (written atomically), or null for none
   */
  public Scrubber(Image image, int blockSize, long rate, Path state) {
    this.image = image;
    this.blockSize = blockSize;
    this.rate = rate;
    this.state = state;
  }

  /** What a scrub found: the bad byte ranges (block-aligned) and how much it read. */
  public record Result(long size, long resumedFrom, List<ByteRange> bad) {
    public long badBlocks(int blockSize) {
      return bad.stream().mapToLong(r -> r.length() / blockSize).sum();
    }
  }

  /**
   * Scrubs from the start, or from where the state file says a previous run got to ({@code
   * resume}). The state file is deleted when the scrub completes.
   */
  public Result scrub(boolean resume, LongConsumer progress) throws IOException {
    long size = image.size();
    long start = 0;
    List<ByteRange> bad = new ArrayList<>();
    if (resume && state != null && Files.exists(state)) {
      start = load(bad, size);
    }
    byte[] buf = new byte[CHUNK];
    long began = System.nanoTime();
    long lastSave = start;
    progress.accept(start);
    for (long pos = start; pos < size; ) {
      int n = (int) Math.min(CHUNK, size - pos);
      try {
        image.readFully(pos, buf, 0, n);
      } catch (EOFException e) {
        throw e;
      } catch (IOException e) {
        blockByBlock(pos, n, buf, bad);
      }
      pos += n;
      progress.accept(n);
      if (state != null && pos - lastSave >= SAVE_EVERY && pos < size) {
        save(pos, bad);
        lastSave = pos;
      }
      throttle(pos - start, began);
    }
    if (state != null) {
      Files.deleteIfExists(state);
    }
    return new Result(size, start, List.copyOf(bad));
  }

  private void blockByBlock(long pos, int n, byte[] buf, List<ByteRange> bad) throws IOException {
    for (long b = pos; b < pos + n; b += blockSize) {
      int len = (int) Math.min(blockSize, pos + n - b);
      try {
        image.readFully(b, buf, 0, len);
      } catch (EOFException e) {
        throw e;
      } catch (IOException e) {
        if (!bad.isEmpty() && bad.getLast().end() == b) {
          bad.set(bad.size() - 1, new ByteRange(bad.getLast().start(), b + len));
        } else {
          bad.add(new ByteRange(b, b + len));
        }
      }
    }
  }

  private void throttle(long done, long began) {
    if (rate <= 0) {
      return;
    }
    long due = began + (long) (done * 1e9 / rate);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      LockSupport.parkNanos(wait);
    }
  }

  /** State file: "intact-scrub 1", the size, the position, then one "bad START END" per range. */
  private void save(long pos, List<ByteRange> bad) throws IOException {
    StringBuilder s = new StringBuilder("intact-scrub 1\n");
    s.append("size ").append(image.size()).append('\n');
    s.append("position ").append(pos).append('\n');
    for (ByteRange r : bad) {
      s.append("bad ").append(r.start()).append(' ').append(r.end()).append('\n');
    }
    Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
    Files.writeString(tmp, s, StandardCharsets.UTF_8);
    Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private long load(List<ByteRange> bad, long size) throws IOException {
    List<String> lines = Files.readAllLines(state, StandardCharsets.UTF_8);
    try {
      if (lines.size() < 3
          || !lines.get(0).equals("intact-scrub 1")
          || Long.parseLong(lines.get(1).substring("size ".length())) != size) {
        throw new IOException(state + ": not the scrub state of this volume; remove it");
      }
      long pos = Long.parseLong(lines.get(2).substring("position ".length()));
      if (pos < 0 || pos > size) {
        throw new IOException(state + ": position " + pos + " is outside the volume");
      }
      for (String line : lines.subList(3, lines.size())) {
        String[] f = line.split(" ", -1);
        if (f.length != 3 || !f[0].equals("bad")) {
          throw new IOException(state + ": unreadable line '" + line + "'");
        }
        bad.add(new ByteRange(Long.parseLong(f[1]), Long.parseLong(f[2])));
      }
      return pos;
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      throw new IOException(state + ": unreadable scrub state (" + e.getMessage() + ")", e);
    }
  }
}
