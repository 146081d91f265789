package dev.intact.core.checksum;

import dev.intact.core.hash.Hasher;
import dev.intact.core.image.Extent;
import dev.intact.core.image.LocalImage;
import dev.intact.core.posix.FileMapping;
import dev.intact.core.posix.NativeFile;
import dev.intact.core.posix.ReadLease;
import java.io.IOException;
import java.util.Optional;

/**
 * Hashes a local regular file where the page cache holds it: window by window, a read-only mapping
 * is populated and handed to the hasher as a direct buffer, so the bytes are read once, by the hash
 * kernel, instead of being copied out by {@code pread} first. Used for the kernels that read native
 * memory in place and are slower than that memory ({@link Hasher#prefersMappedFiles}: BLAKE3's
 * Vector API kernel), whose hashing the copy would take CPU from. Holes are fed as zeros, never
 * mapped.
 *
 * <p>SIGBUS: a mapped page that the file no longer has (it was truncated) or that the storage
 * cannot read kills the JVM when the native kernel reads it. So the file is mapped only under a
 * {@link ReadLease}, which makes a truncate or an open for writing wait until the lease is given
 * back; each window is populated first (an unreadable page is then an error code, not a signal),
 * and the lease is checked before the window is hashed. Once another process wants to change the
 * file, or a window cannot be populated, the mapping stops and the caller reads the rest with
 * {@code pread}, as it would have without mapping (a file cut short then ends in the same EOF error
 * a read gives, a failing disk in the read's EIO).
 */
final class MappedWholeStream {
  /**
   * Bytes per mapping: twice this is the resident memory a sum holds (mapped pages of the page
   * cache count in the process's RSS; the next window is populated while one is hashed), and how
   * often the lease is checked. Bigger windows cost less CPU time per byte now that two threads
   * share the mappings: every unmapping interrupts the other thread's CPU to flush its TLB. The
   * measured choice is in BENCHMARKS.md.
   */
  static final long DEFAULT_WINDOW = 32 << 20;

  /**
   * Windows are mapped from file offsets that are multiples of this: every page size divides it,
   * and the kernel maps a 2 MiB folio of the page cache with one page-table entry when the file
   * offset and the address agree modulo 2 MiB.
   */
  static final long ALIGNMENT = 2 << 20;

  private MappedWholeStream() {}

  /**
   * Hashes what it can of {@code [start, end)} of the file, in order, and returns where it stopped:
   * {@code end}, or the position from which the caller must read the rest (nothing is mapped when
   * the kernel grants no lease: the file is open for writing, owned by another user, on a file
   * system without leases).
   *
   * @param window bytes per mapping, a multiple of {@link #ALIGNMENT}
   */
  static long hash(
      LocalImage image, long start, long end, long window, Hasher hasher, ProgressListener progress)
      throws IOException {
    if (window <= 0 || window % ALIGNMENT != 0 || window > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("window must be a multiple of 2 MiB below 2 GiB");
    }
    NativeFile file = image.nativeFile();
    Optional<ReadLease> taken = ReadLease.tryTake(file);
    if (taken.isEmpty()) {
      return start;
    }
    try (ReadLease lease = taken.get();
        PopulatedWindows windows = new PopulatedWindows(file)) {
      if (file.stat().size() < end) {
        // Cut short before the lease: the part of a page past the end would map as zeros.
        return start;
      }
      long position = start;
      long requested = start; // storage reads started up to here
      Extent extent = null;
      while (position < end) {
        if (extent == null || extent.end() <= position) {
          extent = image.extentAt(position, end);
        }
        if (extent.zero()) {
          WholeStreamPipeline.feedZeros(hasher, extent.end() - position, progress);
          position = extent.end();
          continue;
        }
        long from = Math.floorDiv(position, ALIGNMENT) * ALIGNMENT;
        long to = Math.min(extent.end(), from + window);
        // Populating faults pages in one read-around at a time: the storage reads of this window
        // (unless asked for already) and of the next are started in the background first.
        if (requested < to) {
          long first = Math.max(position, requested);
          FileMapping.readAhead(file, first, to - first);
        }
        long next = Math.min(end, to + window);
        if (next > to) {
          FileMapping.readAhead(file, to, next - to);
        }
        requested = Math.max(to, next);
        FileMapping mapped = windows.take(from, to);
        if (to < extent.end()) {
          // The next window of the same extent starts where this one ends, on a 2 MiB boundary.
          windows.prepare(to, Math.min(extent.end(), to + window));
        }
        if (mapped == null) {
          return position; // pread says what is wrong with the file there
        }
        try (FileMapping mapping = mapped) {
          if (lease.breaking()) {
            return position;
          }
          hasher.update(mapping.memory().asSlice(position - from).asByteBuffer());
        }
        progress.advance(to - position);
        position = to;
      }
      return end;
    }
  }
}
