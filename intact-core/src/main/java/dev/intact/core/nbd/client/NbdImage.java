package dev.intact.core.nbd.client;

import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import dev.intact.core.image.Image;
import dev.intact.core.image.PendingRead;
import dev.intact.core.image.RangeOutOfBoundsException;
import dev.intact.core.image.ReadOnlyImageException;
import dev.intact.core.image.ReadPastEndException;
import dev.intact.core.image.WritableImage;
import dev.intact.core.nbd.wire.Allocation;
import dev.intact.core.nbd.wire.BlockDescriptor;
import dev.intact.core.nbd.wire.BlockStatusReply;
import dev.intact.core.nbd.wire.ExportInfo;
import dev.intact.core.nbd.wire.Nbd;
import dev.intact.core.nbd.wire.NbdCommandException;
import dev.intact.core.nbd.wire.NbdProtocolException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An NBD export as an {@link Image}: reads are split into requests the server accepts and sent
 * together on one connection; the allocation map comes from {@code base:allocation} block status,
 * so holes and zero extents are skipped without reading them. Safe for concurrent reads.
 *
 * <p>A writable export is a {@link WritableImage} too: writes are split and pipelined like reads,
 * zero runs go as NBD_CMD_WRITE_ZEROES that may punch holes, and {@link #flush} is NBD_CMD_FLUSH.
 * NBD has no O_DIRECT: {@link #readDirect} reads through the server, which after a flush returns
 * what its storage holds (the server's own cache is coherent with it).
 */
public final class NbdImage implements WritableImage {
  /** Largest block status request: servers answer big ranges with many descriptors at once. */
  private static final long MAX_STATUS_REQUEST = 1L << 31;

  /** Largest single NBD_CMD_WRITE_ZEROES: the protocol's length is 32 bits. */
  private static final long MAX_ZERO_REQUEST = 1L << 30;

  /**
   * Reads go out as requests of this size, all in flight together. qemu-nbd serving a qcow2 spends
   * 1.2-1.7 s of CPU on 2 GiB asked for in 128-512 KiB requests and 2.1-2.6 s in 64 KiB or 1-4 MiB
   * ones (measured with nbdcopy --request-size); nbdcopy's default is this size too.
   */
  private static final int READ_REQUEST = 256 << 10;

  private final NbdClient client;
  private final List<NbdClient> readers;
  private final AtomicInteger nextReader = new AtomicInteger();
  private final String name;
  private final Closeable owner;
  private volatile Descriptors cached;

  /** The last block status answer: descriptors from {@code start}, consecutive. */
  @SuppressWarnings("ArrayRecordComponent") // private, built once per reply and only read after
  private record Descriptors(long start, long[] ends, int[] flags) {}

  private NbdImage(List<NbdClient> readers, String name, Closeable owner) {
    this.client = readers.getFirst();
    this.readers = List.copyOf(readers);
    this.name = name;
    this.owner = owner;
  }

  public static NbdImage open(NbdUri uri) throws IOException {
    return new NbdImage(List.of(NbdClient.connect(uri)), uri.toString(), null);
  }

  /**
   * Wraps a connected client; {@code owner} (say, the qemu-nbd serving it) is closed after the
   * connection, and {@code name} is what messages call the image.
   */
  public static NbdImage of(NbdClient client, String name, Closeable owner) {
    return new NbdImage(List.of(client), name, owner);
  }

  /**
   * Wraps connections to one read-only export whose server says they all see the same data
   * (NBD_FLAG_CAN_MULTI_CONN): reads go round the connections request by request, each with its own
   * reply reader; block status uses the first. All are closed, then {@code owner}.
   *
   * @throws IllegalArgumentException if there are several and the export is writable or lacks
   *     multi-conn
   */
  public static NbdImage of(List<NbdClient> connections, String name, Closeable owner) {
    ExportInfo info = connections.getFirst().info();
    if (connections.size() > 1 && !(info.readOnly() && info.has(Nbd.FLAG_CAN_MULTI_CONN))) {
      throw new IllegalArgumentException(
          name + ": several connections need a read-only export that offers multi-conn");
    }
    return new NbdImage(connections, name, owner);
  }

  public NbdClient client() {
    return client;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long size() {
    return client.size();
  }

  @Override
  public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
    startRead(position, dst, offset, length).await();
  }

  /** Sends the read as requests of at most the server's maximum size, all in flight together. */
  @Override
  public PendingRead startRead(long position, byte[] dst, int offset, int length)
      throws IOException {
    java.util.Objects.checkFromIndexSize(offset, length, dst.length);
    ReadPastEndException.check(name, position, length, size());
    int align = client.info().minimumBlockSize();
    try {
      if (align > 1 && (position % align != 0 || length % align != 0)) {
        readUnaligned(position, dst, offset, length, align);
        return PendingRead.DONE;
      }
      int max = requestSize(READ_REQUEST, align);
      List<Sent> parts = new ArrayList<>();
      for (int done = 0; done < length; ) {
        int n = Math.min(max, length - done);
        NbdClient c = reader();
        parts.add(new Sent(c, c.readAsync(position + done, dst, offset + done, n)));
        done += n;
      }
      return () -> {
        try {
          awaitAll(parts);
        } catch (IOException e) {
          throw readFailure(position, length, e);
        }
      };
    } catch (IOException e) {
      throw readFailure(position, length, e);
    }
  }

  /**
   * A read that failed with its connection gets the image's name and the range; an error reply
   * already names its offset, and an interrupt stays an interrupt.
   */
  private IOException readFailure(long position, int length, IOException e) {
    return failure("read", position, length, e);
  }

  private IOException failure(String request, long position, long length, IOException e) {
    if (e instanceof NbdCommandException || e instanceof InterruptedIOException) {
      return e;
    }
    return new NbdReadException(name, request, position, length, e);
  }

  /** How many connections reads go over (several only where the server offers multi-conn). */
  public int connections() {
    return readers.size();
  }

  /** The next connection to read on: requests go round all of them. */
  private NbdClient reader() {
    return readers.size() == 1
        ? client
        : readers.get(Math.floorMod(nextReader.getAndIncrement(), readers.size()));
  }

  @Override
  public boolean pipelinesReads() {
    return true;
  }

  /** A request sent on a connection: waited for with that connection's timeout. */
  private record Sent(NbdClient client, CompletableFuture<Void> reply) {}

  private static void awaitAll(List<Sent> parts) throws IOException {
    for (Sent p : parts) {
      // NbdClient.read's error and timeout handling, for a request already sent.
      p.client().awaitReply(p.reply());
    }
  }

  /** A server with a minimum block size gets the aligned superset; we copy out our part. */
  private void readUnaligned(long position, byte[] dst, int offset, int length, int align)
      throws IOException {
    long start = position / align * align;
    long end = Math.min(size(), (position + length + align - 1) / align * align);
    byte[] tmp = new byte[(int) (end - start)];
    int max = maxRequest(align);
    List<Sent> parts = new ArrayList<>();
    for (int done = 0; done < tmp.length; ) {
      int n = Math.min(max, tmp.length - done);
      parts.add(new Sent(client, client.readAsync(start + done, tmp, done, n)));
      done += n;
    }
    awaitAll(parts);
    System.arraycopy(tmp, (int) (position - start), dst, offset, length);
  }

  private int maxRequest(int align) {
    return requestSize(8 << 20, align);
  }

  private int requestSize(int wanted, int align) {
    int max = Math.min(client.info().maximumBlockSize(), wanted);
    return Math.max(align, max / align * align);
  }

  /**
   * Writes {@code length} bytes at {@code position}, as requests of at most the server's maximum
   * size sent together.
   *
   * @throws ReadOnlyImageException if the server exports it read-only
   */
  @Override
  public void write(long position, byte[] src, int offset, int length) throws IOException {
    java.util.Objects.checkFromIndexSize(offset, length, src.length);
    checkWithin(position, length);
    requireWritable();
    cached = null;
    int max = maxRequest(client.info().minimumBlockSize());
    List<Sent> parts = new ArrayList<>();
    for (int done = 0; done < length; ) {
      int n = Math.min(max, length - done);
      parts.add(new Sent(client, client.writeAsync(position + done, src, offset + done, n, false)));
      done += n;
    }
    awaitAll(parts);
    cached = null;
  }

  /**
   * Makes the range read as zeros: NBD_CMD_WRITE_ZEROES without NO_HOLE, so the server may punch a
   * hole (qemu-nbd leaves qcow2 clusters unallocated); written zeros if the server lacks it.
   */
  @Override
  public void zero(long position, long length) throws IOException {
    checkWithin(position, length);
    requireWritable();
    cached = null;
    if (client.info().has(Nbd.FLAG_SEND_WRITE_ZEROES)) {
      int align = Math.max(1, client.info().minimumBlockSize());
      long max = MAX_ZERO_REQUEST / align * align;
      for (long done = 0; done < length; ) {
        long n = Math.min(max, length - done);
        client.writeZeroes(position + done, n, false, false);
        done += n;
      }
    } else {
      byte[] zeros = new byte[(int) Math.min(length, maxRequest(1))];
      for (long done = 0; done < length; ) {
        int n = (int) Math.min(zeros.length, length - done);
        write(position + done, zeros, 0, n);
        done += n;
      }
    }
    cached = null;
  }

  /** NBD_CMD_WRITE_ZEROES with NO_HOLE: the server keeps the range allocated. */
  @Override
  public void zeroAllocated(long position, long length) throws IOException {
    checkWithin(position, length);
    requireWritable();
    if (!client.info().has(Nbd.FLAG_SEND_WRITE_ZEROES)) {
      WritableImage.super.zeroAllocated(position, length);
      return;
    }
    cached = null;
    int align = Math.max(1, client.info().minimumBlockSize());
    long max = MAX_ZERO_REQUEST / align * align;
    for (long done = 0; done < length; ) {
      long n = Math.min(max, length - done);
      client.writeZeroes(position + done, n, true, false);
      done += n;
    }
    cached = null;
  }

  /** NBD_CMD_FLUSH; a server that does not offer it has no volatile cache to flush. */
  @Override
  public void flush() throws IOException {
    if (client.info().has(Nbd.FLAG_SEND_FLUSH)) {
      client.flush();
    }
  }

  /**
   * Reads through the server: NBD has no way to bypass its cache, so verification flushes first and
   * then reads what the server returns from its storage.
   */
  @Override
  public void readDirect(long position, byte[] dst, int offset, int length) throws IOException {
    readFully(position, dst, offset, length);
  }

  private void requireWritable() throws ReadOnlyImageException {
    if (client.info().readOnly()) {
      throw new ReadOnlyImageException(name);
    }
  }

  private void checkWithin(long position, long length) {
    if (position < 0 || length < 0 || position + length > size()) {
      throw new RangeOutOfBoundsException(
          new ByteRange(Math.max(0, position), Math.max(0, position) + Math.max(0, length)),
          size(),
          name);
    }
  }

  @Override
  public Extent extentAt(long position, long end) throws IOException {
    if (position < 0 || end > size() || position >= end) {
      throw new IllegalArgumentException(name + ": no extent at " + position + " up to " + end);
    }
    if (!client.info().metaContexts().contains(Nbd.BASE_ALLOCATION)) {
      return new Extent(position, end - position, false);
    }
    Descriptors d = cached;
    if (d == null || position < d.start() || position >= d.ends()[d.ends().length - 1]) {
      d = query(position, end);
      cached = d;
    }
    int i = 0;
    while (d.ends()[i] <= position) {
      i++;
    }
    boolean zero = (d.flags()[i] & Nbd.STATE_ZERO) != 0;
    // Merge following descriptors of the same kind so callers see the longest run.
    long runEnd = d.ends()[i];
    while (i + 1 < d.ends().length && ((d.flags()[i + 1] & Nbd.STATE_ZERO) != 0) == zero) {
      runEnd = d.ends()[++i];
    }
    return new Extent(position, Math.min(runEnd, end) - position, zero);
  }

  /**
   * The allocation map of {@code [start, end)} as ovirt-imageio reports an NBD export's extents:
   * {@code zero} from {@code base:allocation}, {@code hole} only where {@code
   * qemu:allocation-depth} says no layer of the export holds the range (depth 0: a qcow2 top layer
   * exported without its backing file lacks it, so the backing file's data shows there). A zero
   * cluster the layer itself holds reads as zeros but is not a hole. Without allocation depth no
   * range is a hole, as imageio says, and without {@code base:allocation} all is data.
   */
  public List<Allocation> allocation(long start, long end) throws IOException {
    List<Allocation> out = new ArrayList<>();
    if (start >= end) {
      return out;
    }
    if (!client.info().metaContexts().contains(Nbd.BASE_ALLOCATION)) {
      out.add(new Allocation(start, end - start, false, false));
      return out;
    }
    boolean depth = client.info().metaContexts().contains(Nbd.QEMU_ALLOCATION_DEPTH);
    int align = client.info().minimumBlockSize();
    for (long pos = start; pos < end; ) {
      long length = Math.min(end - pos, MAX_STATUS_REQUEST);
      if (align > 1 && length > align) {
        length = length / align * align;
      }
      BlockStatusReply reply = client.blockStatus(pos, length, false);
      List<BlockDescriptor> alloc = reply.of(Nbd.BASE_ALLOCATION);
      List<BlockDescriptor> layers = depth ? reply.of(Nbd.QEMU_ALLOCATION_DEPTH) : List.of();
      if (alloc.isEmpty() || (depth && layers.isEmpty())) {
        throw new NbdProtocolException(
            name
                + ": block status at "
                + pos
                + " without "
                + (alloc.isEmpty() ? "base:allocation" : "qemu:allocation-depth"));
      }
      // Walk both contexts' descriptors together: each piece lies within one of each.
      int a = 0;
      int d = 0;
      long aEnd = pos + alloc.get(0).length();
      long dEnd = depth ? pos + layers.get(0).length() : Long.MAX_VALUE;
      while (pos < end) {
        long next = Math.min(Math.min(aEnd, dEnd), end);
        boolean zero = (alloc.get(a).flags() & Nbd.STATE_ZERO) != 0;
        boolean hole = depth && layers.get(d).flags() == 0;
        if (next > pos) {
          add(out, new Allocation(pos, next - pos, zero, hole));
        }
        pos = next;
        if (pos == aEnd) {
          if (++a == alloc.size()) {
            break;
          }
          aEnd += alloc.get(a).length();
        }
        if (pos == dEnd) {
          if (++d == layers.size()) {
            break;
          }
          dEnd += layers.get(d).length();
        }
      }
    }
    return out;
  }

  private static void add(List<Allocation> out, Allocation x) {
    if (!out.isEmpty()) {
      Allocation last = out.getLast();
      if (last.zero() == x.zero() && last.hole() == x.hole() && last.end() == x.start()) {
        out.set(
            out.size() - 1,
            new Allocation(last.start(), last.length() + x.length(), x.zero(), x.hole()));
        return;
      }
    }
    out.add(x);
  }

  private Descriptors query(long position, long end) throws IOException {
    int align = client.info().minimumBlockSize();
    long length = Math.min(end - position, MAX_STATUS_REQUEST);
    if (align > 1 && length > align) {
      length = length / align * align;
    }
    List<BlockDescriptor> list;
    try {
      list = client.blockStatus(position, length, false).of(Nbd.BASE_ALLOCATION);
    } catch (IOException e) {
      throw failure("block status", position, length, e);
    }
    if (list.isEmpty()) {
      throw new NbdProtocolException(
          name + ": block status at " + position + " without base:allocation");
    }
    long[] ends = new long[list.size()];
    int[] flags = new int[list.size()];
    long at = position;
    for (int i = 0; i < list.size(); i++) {
      at += list.get(i).length();
      ends[i] = Math.min(at, size());
      flags[i] = list.get(i).flags();
    }
    return new Descriptors(position, ends, flags);
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    try {
      for (NbdClient c : readers) {
        try {
          c.close();
        } catch (IOException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
    } finally {
      if (owner != null) {
        owner.close();
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
