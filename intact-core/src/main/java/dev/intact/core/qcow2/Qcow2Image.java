package dev.intact.core.qcow2;

import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import dev.intact.core.image.ImageStamp;
import dev.intact.core.image.ReadPastEndException;
import dev.intact.core.posix.NativeFile;
import dev.intact.core.posix.Posix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A qcow2 image without a backing file, read straight from its file: data clusters with {@code
 * pread} (runs that are contiguous in the file in one call), compressed clusters decompressed, and
 * unallocated and zero clusters and subclusters reported as zero extents, never read. Safe for
 * concurrent reads, which go to the file in parallel.
 */
public final class Qcow2Image implements Image {
  static final long MAX_EXTENT = 1L << 30;

  private final HostFile file;
  private final NativeFile nativeFile; // null for a file in memory
  private final String name;
  private final Qcow2Header header;
  private final ClusterMap map;
  private final ClusterDecompressor decompressor;

  Qcow2Image(HostFile file, NativeFile nativeFile, String name, Qcow2Header header)
      throws IOException {
    this.file = file;
    this.nativeFile = nativeFile;
    this.name = name;
    this.header = header;
    this.map = new ClusterMap(header, file, name);
    this.decompressor = new ClusterDecompressor(header.compressionType());
  }

  /**
   * Opens the qcow2 file at {@code path}, which messages call {@code name}.
   *
   * @throws UnsupportedQcow2Exception if it is a qcow2 this reader leaves to qemu
   * @throws Qcow2FormatException if its header or L1 table cannot be followed
   */
  public static Qcow2Image open(Path path, String name) throws IOException {
    NativeFile nf = Posix.open(path, Posix.O_RDONLY, 0);
    try {
      HostFile hf = onDisk(nf, nf.stat().size());
      Qcow2Image image = new Qcow2Image(hf, nf, name, header(hf, name));
      nf = null;
      return image;
    } finally {
      if (nf != null) {
        nf.close();
      }
    }
  }

  /**
   * Reads the header of {@code file}: its first cluster (header and header extensions), whose size
   * the fixed part of the header gives.
   */
  static Qcow2Header header(HostFile file, String name) throws IOException {
    byte[] fixed = new byte[(int) Math.min(file.size(), Qcow2Header.FIXED_LENGTH)];
    int n = file.readUpTo(0, fixed, 0, fixed.length);
    byte[] first = fixed;
    int clusterBits = n >= 24 ? ByteBuffer.wrap(fixed).getInt(20) : 0;
    if (clusterBits >= Qcow2Header.MIN_CLUSTER_BITS
        && clusterBits <= Qcow2Header.MAX_CLUSTER_BITS) {
      first = new byte[(int) Math.min(file.size(), 1L << clusterBits)];
      n = file.readUpTo(0, first, 0, first.length);
    }
    Qcow2Header h = Qcow2Header.read(Arrays.copyOf(first, n), file.size(), name);
    Optional<String> unsupported = h.unsupported();
    if (unsupported.isPresent()) {
      throw new UnsupportedQcow2Exception(name, unsupported.get());
    }
    return h;
  }

  private static HostFile onDisk(NativeFile nf, long size) {
    return new HostFile() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public int pread(long position, byte[] dst, int offset, int length) throws IOException {
        return nf.pread(position, dst, offset, length);
      }

      @Override
      public void close() throws IOException {
        nf.close();
      }
    };
  }

  @Override
  public String name() {
    return name;
  }

  /** The guest disk qemu presents: whole 512-byte sectors, a partial last one left out. */
  @Override
  public long size() {
    return header.size() & ~511L;
  }

  @Override
  public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, dst.length);
    long end = position + length;
    ReadPastEndException.check(name, position, length, size());
    long pos = position;
    while (pos < end) {
      Piece p = map.pieceAt(pos, end);
      int at = offset + (int) (pos - position);
      switch (p.kind()) {
        case ZERO -> {
          Arrays.fill(dst, at, at + (int) p.length(), (byte) 0);
          pos = p.end();
        }
        case COMPRESSED -> {
          readCompressed(p, dst, at);
          pos = p.end();
        }
        case DATA -> pos = readData(p, end, dst, at);
      }
    }
  }

  /**
   * Reads the data piece {@code p} and the data pieces after it that continue it in the file, as
   * one read of the file: the position after them. Bytes past the end of the file read as zeros
   * (qemu's view of a cluster the file does not fully hold).
   */
  private long readData(Piece p, long end, byte[] dst, int at) throws IOException {
    long runEnd = p.end();
    while (runEnd < end) {
      Piece next = map.pieceAt(runEnd, end);
      if (next.kind() != Piece.Kind.DATA || next.host() != p.host() + (runEnd - p.start())) {
        break;
      }
      runEnd = next.end();
    }
    int length = (int) (runEnd - p.start());
    int n = file.readUpTo(p.host(), dst, at, length);
    Arrays.fill(dst, at + n, at + length, (byte) 0);
    return runEnd;
  }

  /** A whole cluster is decompressed in place; part of one through a cluster-sized buffer. */
  private void readCompressed(Piece p, byte[] dst, int at) throws IOException {
    long clusterStart = p.start() >>> header.clusterBits() << header.clusterBits();
    int size = header.clusterSize();
    if (p.start() == clusterStart && p.length() == size) {
      decompressCluster(p.host(), clusterStart, dst, at);
      return;
    }
    byte[] cluster = new byte[size];
    decompressCluster(p.host(), clusterStart, cluster, 0);
    System.arraycopy(cluster, (int) (p.start() - clusterStart), dst, at, (int) p.length());
  }

  /**
   * Decompresses the cluster whose L2 entry is {@code entry}: its bytes start at the host offset in
   * the low bits and run to the end of the sector counted in the high bits.
   */
  private void decompressCluster(long entry, long clusterStart, byte[] out, int at)
      throws IOException {
    int offsetBits = 62 - (header.clusterBits() - 8);
    long host = entry & ((1L << offsetBits) - 1);
    long sectors = (entry & ~ClusterMap.COMPRESSED & ~(1L << 63)) >>> offsetBits;
    long stored = (host & ~511L) + (sectors + 1) * 512 - host;
    if (host >= file.size()) {
      throw new Qcow2FormatException(
          name,
          "the compressed cluster at guest offset "
              + clusterStart
              + " is at host offset "
              + host
              + ", past the end of the file ("
              + file.size()
              + " bytes)");
    }
    byte[] src = new byte[(int) Math.min(stored, file.size() - host)];
    int n = file.readUpTo(host, src, 0, src.length);
    String problem = decompressor.decompress(src, n, out, at, header.clusterSize());
    if (problem != null) {
      throw new Qcow2FormatException(
          name, "the compressed cluster at guest offset " + clusterStart + ": " + problem);
    }
  }

  /**
   * Merges pieces of one kind up to {@link #MAX_EXTENT}: a longer extent would walk (and cache) L2
   * tables far ahead of the readers that need theirs now.
   */
  @Override
  public Extent extentAt(long position, long end) throws IOException {
    Piece first = map.pieceAt(position, end);
    boolean zero = first.kind() == Piece.Kind.ZERO;
    long pos = first.end();
    while (pos < end && pos - position < MAX_EXTENT) {
      Piece p = map.pieceAt(pos, end);
      if ((p.kind() == Piece.Kind.ZERO) != zero) {
        break;
      }
      pos = p.end();
    }
    return new Extent(position, pos - position, zero);
  }

  /** The qcow2 file as it is now, to tell whether it changed while it was read. */
  @Override
  public Optional<ImageStamp> stamp() throws IOException {
    return nativeFile == null ? Optional.empty() : Optional.of(ImageStamp.of(nativeFile.stat()));
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  @Override
  public String toString() {
    return name + " (qcow2, read natively)";
  }
}
