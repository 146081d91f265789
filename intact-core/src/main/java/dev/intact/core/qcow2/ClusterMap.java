package dev.intact.core.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Where each guest byte of a qcow2 image is: the L1 table, read once, and the L2 tables it points
 * to, read on demand into a bounded cache (direct-mapped by L1 index, so a sequential reader keeps
 * the tables it walks and memory stays within {@link #CACHE_BYTES} whatever the image's size). Safe
 * for concurrent lookups: two readers that miss on one table both read it.
 */
final class ClusterMap {
  /** Bits 9-55 of an L1 or standard L2 entry: a cluster-aligned host offset. */
  static final long OFFSET_MASK = 0x00ff_ffff_ffff_fe00L;

  static final long COMPRESSED = 1L << 62;
  static final long ZERO_FLAG = 1;

  /** Bytes of L2 tables the cache may hold (at least two tables whatever the cluster size). */
  static final long CACHE_BYTES = 32L << 20;

  private final Qcow2Header header;
  private final HostFile file;
  private final String name;
  private final long[] l1;
  private final AtomicReferenceArray<Table> cache;
  private final int clusterBits;
  private final int l2Bits;
  private final int subclusterBits;

  /** An L2 table as read: its L1 index and its entries, each one or two longs. */
  @SuppressWarnings("ArrayRecordComponent") // never written after it is read
  private record Table(int l1Index, long[] entries) {}

  ClusterMap(Qcow2Header header, HostFile file, String name) throws IOException {
    this.header = header;
    this.file = file;
    this.name = name;
    this.clusterBits = header.clusterBits();
    this.l2Bits = header.l2Bits();
    this.subclusterBits = clusterBits - 5;
    this.l1 = readLongs(header.l1TableOffset(), header.l1Entries(), "L1 table");
    int slots = (int) Math.max(2, Math.min(4096, CACHE_BYTES >> clusterBits));
    this.cache = new AtomicReferenceArray<>(slots);
  }

  /**
   * The piece of the guest disk that starts at {@code position} (below the virtual size) and reads
   * one way, clipped to {@code end}: at most to the end of its cluster, except that a whole
   * unallocated L2 range is one piece.
   */
  Piece pieceAt(long position, long end) throws IOException {
    long cluster = position >>> clusterBits;
    int l1Index = (int) (cluster >>> l2Bits);
    long l1Entry = l1[l1Index];
    long l2Offset = l1Entry & OFFSET_MASK;
    if (l2Offset == 0) {
      long rangeEnd = (long) (l1Index + 1) << (l2Bits + clusterBits);
      return new Piece(position, Math.min(end, rangeEnd) - position, Piece.Kind.ZERO, 0);
    }
    long[] entries = table(l1Index, l2Offset);
    int index = (int) (cluster & ((1L << l2Bits) - 1));
    long clusterStart = cluster << clusterBits;
    long clusterEnd = Math.min(end, clusterStart + (1L << clusterBits));
    long entry = entries[header.extendedL2() ? 2 * index : index];
    if ((entry & COMPRESSED) != 0) {
      return new Piece(position, clusterEnd - position, Piece.Kind.COMPRESSED, entry);
    }
    long host = entry & OFFSET_MASK;
    if (header.extendedL2()) {
      return subclusters(position, clusterStart, clusterEnd, host, entries[2 * index + 1]);
    }
    boolean zero = (entry & ZERO_FLAG) != 0;
    if (zero && header.version() == 2) {
      throw corrupt("the L2 entry of guest offset " + position + " has the v3 zero flag");
    }
    if (zero || host == 0) {
      return new Piece(position, clusterEnd - position, Piece.Kind.ZERO, 0);
    }
    return data(position, clusterEnd, host + (position - clusterStart));
  }

  /**
   * With extended L2 entries: the run of subclusters from {@code position}'s that all read as zeros
   * (unallocated or zero) or are all allocated.
   */
  private Piece subclusters(long position, long clusterStart, long clusterEnd, long host, long bits)
      throws IOException {
    int allocated = (int) bits;
    int zeros = (int) (bits >>> 32);
    if ((allocated & zeros) != 0) {
      throw corrupt(
          "the cluster at guest offset "
              + clusterStart
              + " has subclusters both allocated and zero");
    }
    if (allocated != 0 && host == 0) {
      throw corrupt(
          "the cluster at guest offset "
              + clusterStart
              + " has allocated subclusters but no host offset");
    }
    int sub = (int) ((position - clusterStart) >>> subclusterBits);
    boolean data = (allocated >>> sub & 1) != 0;
    // Subclusters sub, sub+1, ... while their allocation bit is the same as sub's.
    int same = data ? allocated >>> sub : ~allocated >>> sub;
    int run = sub + Integer.numberOfTrailingZeros(~same); // 32 when the rest of the cluster matches
    long runEnd = Math.min(clusterEnd, clusterStart + ((long) run << subclusterBits));
    if (!data) {
      return new Piece(position, runEnd - position, Piece.Kind.ZERO, 0);
    }
    return data(position, runEnd, host + (position - clusterStart));
  }

  private Piece data(long position, long end, long host) throws IOException {
    if ((host & ((1L << clusterBits) - 1)) != (position & ((1L << clusterBits) - 1))) {
      throw corrupt(
          "the data cluster of guest offset " + position + " is not aligned to a cluster");
    }
    if (host >= file.size()) {
      throw corrupt(
          "guest offset "
              + position
              + " maps to host offset "
              + host
              + ", past the end of the file ("
              + file.size()
              + " bytes)");
    }
    return new Piece(position, end - position, Piece.Kind.DATA, host);
  }

  private long[] table(int l1Index, long offset) throws IOException {
    int slot = l1Index % cache.length();
    Table t = cache.get(slot);
    if (t != null && t.l1Index() == l1Index) {
      return t.entries();
    }
    if ((offset & ((1L << clusterBits) - 1)) != 0) {
      throw corrupt("L1 entry " + l1Index + " points to an unaligned L2 table");
    }
    long[] entries = readLongs(offset, 1 << (clusterBits - 3), "L2 table");
    cache.set(slot, new Table(l1Index, entries));
    return entries;
  }

  /** Reads {@code count} big-endian longs at {@code offset}, all of them inside the file. */
  private long[] readLongs(long offset, int count, String what) throws IOException {
    long bytes = (long) count * 8;
    if (offset < 0 || offset > file.size() - bytes) {
      throw corrupt(
          "its "
              + what
              + " at offset "
              + offset
              + " reaches past the end of the file ("
              + file.size()
              + " bytes)");
    }
    byte[] raw = new byte[(int) bytes];
    if (file.readUpTo(offset, raw, 0, raw.length) != raw.length) {
      throw corrupt("the file ended inside its " + what + " at offset " + offset);
    }
    long[] out = new long[count];
    ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN).asLongBuffer().get(out);
    return out;
  }

  private Qcow2FormatException corrupt(String problem) {
    return new Qcow2FormatException(name, problem);
  }
}
