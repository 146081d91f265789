package dev.intact.core.volume;

import dev.intact.core.image.Extent;
import dev.intact.core.image.WritableImage;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;

/**
 * Storage in memory that behaves like a disk with a volatile cache: writes since the last {@link
 * #flush} are only in the cache, and {@link #crash} keeps a random subset of their 512-byte sectors
 * (a torn write keeps some sectors, not others), as power loss may. A countdown can make the Nth
 * storage call crash the writer mid-operation. Thread-safe, for volumes written by several threads
 * at once; {@link #beforeWrite} runs a test's code before each write (outside the store's lock), to
 * let other threads run or to stop the writer at a chosen write.
 */
final class CrashStore implements WritableImage {
  static final int SECTOR = 512;

  /** Thrown when the countdown reaches zero: the process "died" at this call. */
  static final class Crashed extends IOException {
    Crashed() {
      super("simulated crash");
    }
  }

  @SuppressWarnings("ArrayRecordComponent") // private; the bytes are a copy nobody changes
  private record Write(long position, byte[] bytes) {}

  private final byte[] durable;
  private final byte[] current;
  private final List<Write> pending = new ArrayList<>();
  private long countdown = Long.MAX_VALUE;
  private int writes;
  private int reads;
  private int flushes;
  private volatile LongConsumer beforeWrite = position -> {};

  CrashStore(int size) {
    this(new byte[size]);
  }

  CrashStore(byte[] durable) {
    this.durable = durable.clone();
    this.current = durable.clone();
  }

  /** Runs {@code hook} with each write's position before the write. */
  void beforeWrite(LongConsumer hook) {
    beforeWrite = hook;
  }

  /** Makes the {@code n}th next write, zero or flush throw {@link Crashed} instead. */
  synchronized void crashAtCall(long n) {
    countdown = n;
  }

  private void tick() throws Crashed {
    if (--countdown <= 0) {
      countdown = Long.MAX_VALUE;
      throw new Crashed();
    }
  }

  /** The bytes a reboot finds: the durable ones plus a random subset of unflushed sectors. */
  synchronized byte[] crash(RandomGenerator random) {
    byte[] after = durable.clone();
    for (Write w : pending) {
      for (int s = 0; s < w.bytes().length; s += SECTOR) {
        if (random.nextBoolean()) {
          int n = Math.min(SECTOR, w.bytes().length - s);
          System.arraycopy(w.bytes(), s, after, (int) w.position() + s, n);
        }
      }
    }
    return after;
  }

  /** What the storage holds now (cache included), for tests that edit it as an attacker would. */
  synchronized byte[] bytes() {
    return current.clone();
  }

  /** Changes stored bytes behind the volume's back (bit rot, an attacker, a lost write). */
  synchronized void overwrite(long position, byte[] bytes) {
    System.arraycopy(bytes, 0, durable, (int) position, bytes.length);
    System.arraycopy(bytes, 0, current, (int) position, bytes.length);
  }

  /** Write and zero calls so far (a zero is one write of zeros). */
  synchronized int writes() {
    return writes;
  }

  /** Read calls so far (plain or direct). */
  synchronized int reads() {
    return reads;
  }

  /** Flush calls so far. */
  synchronized int flushes() {
    return flushes;
  }

  synchronized byte[] read(long position, int length) {
    return Arrays.copyOfRange(current, (int) position, (int) position + length);
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public long size() {
    return current.length;
  }

  @Override
  public synchronized void readFully(long position, byte[] dst, int offset, int length)
      throws IOException {
    reads++;
    if (position < 0 || position + length > current.length) {
      throw new EOFException("read past the end of memory storage at " + position);
    }
    System.arraycopy(current, (int) position, dst, offset, length);
  }

  @Override
  public Extent extentAt(long position, long end) {
    return new Extent(position, end - position, false);
  }

  @Override
  public void write(long position, byte[] src, int offset, int length) throws IOException {
    beforeWrite.accept(position);
    writeNow(position, src, offset, length);
  }

  private synchronized void writeNow(long position, byte[] src, int offset, int length)
      throws IOException {
    tick();
    writes++;
    if (position < 0 || position + length > current.length) {
      throw new IOException("write past the end of memory storage at " + position);
    }
    System.arraycopy(src, offset, current, (int) position, length);
    // Sectors are what tear: split the write at absolute sector boundaries.
    long pos = position;
    int done = 0;
    while (done < length) {
      int n = (int) Math.min(length - done, SECTOR - pos % SECTOR);
      pending.add(new Write(pos, Arrays.copyOfRange(src, offset + done, offset + done + n)));
      pos += n;
      done += n;
    }
  }

  @Override
  public void zero(long position, long length) throws IOException {
    byte[] zeros = new byte[(int) length];
    write(position, zeros, 0, zeros.length);
  }

  @Override
  public synchronized void flush() throws IOException {
    tick();
    flushes++;
    for (Write w : pending) {
      System.arraycopy(w.bytes(), 0, durable, (int) w.position(), w.bytes().length);
    }
    pending.clear();
  }

  @Override
  public void readDirect(long position, byte[] dst, int offset, int length) throws IOException {
    readFully(position, dst, offset, length);
  }

  @Override
  public void close() {}
}
