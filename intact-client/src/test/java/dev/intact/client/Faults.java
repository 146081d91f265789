package dev.intact.client;

import dev.intact.core.image.ForwardingWritableImage;
import dev.intact.core.image.WritableImage;
import dev.intact.core.posix.NativeIoException;
import dev.intact.core.posix.Posix;
import dev.intact.server.image.StorageFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Storage that misbehaves once per plan: flips a bit of a write or of a read in transit, or
 * silently drops a write or a zero request covering a chosen byte, or fails a write outright.
 * Checksum jobs and block digests read the storage itself ({@link WritableImage#directView}), which
 * is never tampered with.
 */
final class Faults implements StorageFactory {
  enum Kind {
    FLIP_WRITE,
    DROP_WRITE,
    DROP_ZERO,
    FLIP_READ,
    /** The storage fails the write, as a dying disk does: the PUT gets a 500. */
    FAIL_WRITE,
    /** The storage has no space left for the write (ENOSPC): the PUT gets a 507. */
    FULL_DISK
  }

  record Plan(Kind kind, long position, int bit, AtomicBoolean fired) {
    Plan(Kind kind, long position, int bit) {
      this(kind, position, bit, new AtomicBoolean());
    }

    boolean hits(Kind k, long start, long length) {
      return kind == k
          && position >= start
          && position < start + length
          && fired.compareAndSet(false, true);
    }
  }

  private volatile Plan plan;

  void arm(Plan p) {
    plan = p;
  }

  @Override
  public WritableImage open(Path path, boolean blockDevice, boolean writable) throws IOException {
    return new ForwardingWritableImage(StorageFactory.STORAGE.open(path, blockDevice, writable)) {
      @Override
      public void readFully(long pos, byte[] dst, int off, int len) throws IOException {
        delegate().readFully(pos, dst, off, len);
        Plan p = plan;
        if (p != null && p.hits(Kind.FLIP_READ, pos, len)) {
          dst[off + (int) (p.position() - pos)] ^= (byte) (1 << p.bit());
        }
      }

      @Override
      public void write(long pos, byte[] src, int off, int len) throws IOException {
        Plan p = plan;
        if (p != null && p.hits(Kind.FAIL_WRITE, pos, len)) {
          throw new IOException("injected write failure at " + p.position());
        }
        if (p != null && p.hits(Kind.FULL_DISK, pos, len)) {
          throw new NativeIoException("pwrite", path.toString(), Posix.ENOSPC, "No space left");
        }
        if (p != null && p.hits(Kind.DROP_WRITE, pos, len)) {
          return;
        }
        if (p != null && p.hits(Kind.FLIP_WRITE, pos, len)) {
          byte[] copy = java.util.Arrays.copyOfRange(src, off, off + len);
          copy[(int) (p.position() - pos)] ^= (byte) (1 << p.bit());
          delegate().write(pos, copy, 0, len);
          return;
        }
        delegate().write(pos, src, off, len);
      }

      @Override
      public void zero(long pos, long len) throws IOException {
        Plan p = plan;
        if (p != null && p.hits(Kind.DROP_ZERO, pos, len)) {
          return;
        }
        delegate().zero(pos, len);
      }
    };
  }
}
