package dev.intact.core.volume;

import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import dev.intact.core.image.LocalImage;
import dev.intact.core.image.ReadOnlyImageException;
import dev.intact.core.image.WritableImage;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An integrity volume as an image: every block read is checked against its tag (a mismatch throws
 * {@link ChecksumMismatchException} naming the block's bytes), every write goes through the journal
 * with its tags, and {@link #flush} makes everything written so far durable. Blocks never written,
 * trimmed or zeroed read as zeros from the metadata alone and show as zero extents.
 *
 * <p>Reads run concurrently; writes, zeroing and flushes are serialized by one lock (the journal is
 * a single append point), except the tagging of whole blocks and the data write of whole chunks
 * that move to spare chunks, which concurrent writes do in parallel ({@link #write}). A flush from
 * any caller covers every caller's writes that returned before it, so several NBD connections may
 * share one volume.
 */
public final class Volume implements WritableImage {
  private static final Logger log = LoggerFactory.getLogger(Volume.class);
  private static final int SCAN_ENTRIES = 4096;

  /**
   * Pending blocks allowed before a checkpoint, whatever the journal's length: at most about 16 MiB
   * of index (about 128 bytes per block with a 32-byte tag), so the server's memory does not grow
   * with the volume. HOME records fill the journal slowly (a few bytes per block), so this, not the
   * journal, decides how often sequential writes into fresh space pay a checkpoint's three fsyncs:
   * every 512 MiB of 4 KiB blocks.
   */
  static final int MAX_PENDING = 1 << 17;

  private final WritableImage store;
  private final String name;
  private final boolean writable;
  private final Geometry g;
  private final Tagger tagger;
  private final Journal journal;
  private final TagPages tags;
  private final HomeWriter homeWriter;
  private final ChunkMap map;
  private final OpenEpoch epoch;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** Signalled when the last write with chunks in flight (reserved, not yet appended) ends. */
  private final Condition settled = lock.writeLock().newCondition();

  private final AtomicLong mismatches;
  private final OpenReport openReport;

  private Superblock sb;
  private boolean closed;

  /** Writes whose reserved chunks are being written without the lock; the lock guards it. */
  private int inFlight;

  /** Whether a checkpoint of this open left records of a past epoch in the journal. */
  private boolean journalWritten;

  /**
   * What opening found: which superblock copies were usable, and what the journal replayed.
   *
   * @param superblockProblems one message per unusable copy
   * @param transactions committed transactions replayed from the journal
   * @param dropped records of an unfinished transaction that were dropped
   */
  public record OpenReport(List<String> superblockProblems, int transactions, int dropped) {}

  private Volume(
      WritableImage store,
      String name,
      boolean writable,
      Superblock sb,
      Tagger tagger,
      OpenReport report,
      Journal.Scan scan,
      ChunkMap map)
      throws IOException {
    this.store = store;
    this.name = name;
    this.writable = writable;
    this.sb = sb;
    this.g = sb.geometry();
    this.tagger = tagger;
    this.mismatches = new AtomicLong(sb.mismatches());
    this.openReport = report;
    this.journal = new Journal(store, g, sb.journalEpoch(), scan.seq(), scan.end());
    this.tags = new TagPages(store, g);
    this.map = map;
    this.homeWriter = new HomeWriter(store, g, tags, map);
    this.epoch = new OpenEpoch(g, map);
    for (Journal.Replayed r : scan.committed()) {
      epoch.apply(r);
    }
  }

  // ---- creating and opening ----

  /**
   * Makes a new volume on {@code store} (which must hold {@link Geometry#storageSize}) and returns
   * it open. Every block reads as zeros.
   */
  public static Volume create(WritableImage store, String name, VolumeOptions options)
      throws IOException {
    Geometry g = options.geometry();
    if (store.size() < g.storageSize()) {
      throw new VolumeFormatException(
          name + ": " + store.size() + " bytes cannot hold a volume needing " + g.storageSize());
    }
    SecureRandom random = new SecureRandom();
    UUID u = UUID.randomUUID();
    byte[] uuid = new byte[16];
    for (int i = 0; i < 8; i++) {
      uuid[i] = (byte) (u.getMostSignificantBits() >>> (56 - 8 * i));
      uuid[8 + i] = (byte) (u.getLeastSignificantBits() >>> (56 - 8 * i));
    }
    // A random first epoch: records an earlier occupant of this storage left never replay.
    long epoch = random.nextLong() >>> 2;
    byte[] key = options.key();
    Superblock sb =
        new Superblock(
            g.remaps() ? Superblock.VERSION : Superblock.UNMAPPED,
            uuid,
            g,
            options.algorithm(),
            0,
            1,
            epoch,
            0,
            0,
            0,
            Tagger.keyCheck(options.algorithm(), uuid, key));
    // Tags, chunk map (all zeros: the identity) and journal must read as zeros (a punched hole in
    // a file, BLKZEROOUT on a device).
    store.zero(Geometry.TAG_OFFSET, g.dataOffset() - Geometry.TAG_OFFSET);
    byte[] bytes = SuperblockCodec.encode(sb);
    store.write(0, bytes, 0, bytes.length);
    byte[] copy = SuperblockCodec.encode(sb.next(epoch, 0));
    store.write(Geometry.SUPERBLOCK_SLOT, copy, 0, copy.length);
    store.flush();
    return open(store, name, true, key);
  }

  /** Creates a volume in a new file of exactly the size it needs. */
  public static Volume create(Path path, VolumeOptions options) throws IOException {
    LocalImage store = LocalImage.create(path, options.geometry().storageSize());
    try {
      return create(store, path.toString(), options);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Opens the volume in a file or device, locked against conflicting opens by other processes.
   *
   * @throws VolumeInUseException when another process serves it (or, for a writable open, has it
   *     open at all)
   */
  public static Volume open(Path path, boolean writable, byte[] key) throws IOException {
    LocalImage store = writable ? LocalImage.openWrite(path) : LocalImage.openRead(path);
    try {
      VolumeLock.acquire(store, path, writable);
      return open(store, path.toString(), writable, key);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Opens the volume on {@code store}: picks the newer valid superblock copy, replays the journal's
   * committed transactions, and (when writable) checkpoints them so the volume starts clean.
   *
   * @throws VolumeFormatException when it is no usable volume or the key is wrong
   */
  public static Volume open(WritableImage store, String name, boolean writable, byte[] key)
      throws IOException {
    List<String> problems = new ArrayList<>();
    List<Superblock> copies = SuperblockCopies.read(store, name, problems);
    Superblock best = copies.getFirst();
    // Either copy of version 2 (a crash midway through an upgrade leaves one) upgrades both to 3
    // before a record that an old reader of the other copy would stop at is written. Version 3
    // stays 3: its data area has no spare chunks, so it never writes a REMAP record.
    boolean old = copies.stream().anyMatch(c -> c.version() < Superblock.UNMAPPED);
    Geometry g = best.geometry();
    if (store.size() < g.storageSize()) {
      throw new VolumeFormatException(
          name
              + ": storage of "
              + store.size()
              + " bytes is shorter than the volume's "
              + g.storageSize());
    }
    TagAlgorithm a = best.algorithm();
    if (a.keyed()) {
      if (key == null || key.length == 0) {
        throw new VolumeFormatException(
            name + ": tags are " + a.tagName() + "; give the key with --key-file");
      }
      if (!MessageDigest.isEqual(Tagger.keyCheck(a, best.uuid(), key), best.keyCheck())) {
        throw new VolumeFormatException(name + ": wrong key for this volume");
      }
    }
    Tagger tagger = Tagger.of(a, best.uuid(), key);
    ChunkMap map = new ChunkMap(store, g);
    Journal.Scan scan = Journal.scan(store, g, tagger, best.journalEpoch(), map);
    OpenReport report = new OpenReport(List.copyOf(problems), scan.transactions(), scan.dropped());
    Volume v = new Volume(store, name, writable, best, tagger, report, scan, map);
    if (writable && (old || scan.end() > 0 || scan.dropped() > 0 || !problems.isEmpty())) {
      v.lock.writeLock().lock();
      try {
        v.checkpointLocked(true);
        if (old) {
          v.upgradeLocked();
        }
      } finally {
        v.lock.writeLock().unlock();
      }
    }
    if (writable) {
      // After the checkpoint above, the stored map is whole again; before any free chunk is used.
      map.check(name);
    }
    return v;
  }

  /**
   * The superblock of the volume at {@code path}, read without its lock and without replaying the
   * journal, so it works on a volume another process serves ({@code volume info} of a live volume,
   * like {@code integritysetup status} of an active device). The server writes each copy as one
   * 512-byte sector, the copy not in use, so a read racing that write finds the torn copy's CRC
   * wrong and uses the other, older one; counters are as of the server's last checkpoint.
   *
   * @throws VolumeFormatException when it is no usable volume
   */
  public static Superblock readSuperblock(Path path) throws IOException {
    try (LocalImage store = LocalImage.openRead(path)) {
      return SuperblockCopies.read(store, path.toString(), new ArrayList<>()).getFirst();
    }
  }

  /**
   * Whether the file at {@code path} starts with a volume's magic (either superblock copy may be
   * damaged; this says only that it was made a volume). The transfer daemon refuses a ticket that
   * does not say how to store on such a file, so an upload cannot overwrite a volume by omission.
   */
  public static boolean startsLikeVolume(Path path) throws IOException {
    try (LocalImage store = LocalImage.openRead(path)) {
      if (store.size() < SuperblockCodec.MAGIC.length) {
        return false;
      }
      byte[] head = new byte[SuperblockCodec.MAGIC.length];
      store.readFully(0, head, 0, head.length);
      return Arrays.equals(head, SuperblockCodec.MAGIC);
    }
  }

  // ---- what it is ----

  @Override
  public String name() {
    return name;
  }

  @Override
  public long size() {
    return g.size();
  }

  public Superblock superblock() {
    lock.readLock().lock();
    try {
      return sb;
    } finally {
      lock.readLock().unlock();
    }
  }

  public Geometry geometry() {
    return g;
  }

  public OpenReport openReport() {
    return openReport;
  }

  /** Tag mismatches seen so far, including those counted before this open. */
  public long mismatches() {
    return mismatches.get();
  }

  // ---- reads ----

  @Override
  public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
    read(position, slice(position, dst, offset, length), false);
  }

  @Override
  public void readDirect(long position, byte[] dst, int offset, int length) throws IOException {
    read(position, slice(position, dst, offset, length), true);
  }

  private MemorySegment slice(long position, byte[] dst, int offset, int length)
      throws EOFException {
    if (length < 0) {
      throw new EOFException(name + ": read of " + length + " bytes at " + position);
    }
    return MemorySegment.ofArray(dst).asSlice(offset, length);
  }

  /**
   * Reads and verifies straight into {@code dst}: the NBD server's native reply memory is filled by
   * pread and hashed where it lies, with no copy through the heap (only a request's partial first
   * or last block goes through a scratch buffer).
   */
  @Override
  public void readFully(long position, MemorySegment dst) throws IOException {
    read(position, dst, false);
  }

  private void read(long position, MemorySegment dst, boolean direct) throws IOException {
    long length = dst.byteSize();
    if (position < 0 || position > g.size() - length) {
      throw new EOFException(
          name + ": read of " + length + " bytes at " + position + " is past the end " + g.size());
    }
    int bs = g.blockSize();
    int chunkBlocks = Math.max(1, (1 << 20) / bs);
    lock.readLock().lock();
    try {
      long end = position + length;
      for (long pos = position; pos < end; ) {
        long block = pos / bs;
        long blockStart = block * bs;
        int n = (int) Math.min(chunkBlocks, (end - blockStart + bs - 1) / bs);
        long want = Math.min(end - pos, (long) n * bs - (pos - blockStart));
        MemorySegment target = dst.asSlice(pos - position, want);
        if (pos == blockStart && want == (long) n * bs) {
          readBlocks(block, n, target, direct, null);
        } else {
          MemorySegment tmp = MemorySegment.ofArray(new byte[n * bs]);
          readBlocks(block, n, tmp, direct, null);
          MemorySegment.copy(tmp, pos - blockStart, target, 0, want);
        }
        pos += want;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Reads and verifies blocks {@code [first, first + n)} into {@code dst} ({@code n} blocks long):
   * their tag entries from the tag page cache, the data of the blocks at home in one read, each
   * journaled block from the journal. The data is always read and checked; only the entries are
   * cached. Read-back ({@code direct}) and verification ({@code sink}: check, scrub of a path,
   * repair) read the entries from the store instead, since they exist to prove what the store
   * holds. A mismatch goes to {@code sink} when there is one (the block's bytes are left as read),
   * else it is thrown.
   */
  private void readBlocks(
      long first, int n, MemorySegment dst, boolean direct, Consumer<Mismatch> sink)
      throws IOException {
    int bs = g.blockSize();
    int es = g.entrySize();
    byte[] entries = new byte[n * es];
    if (direct || sink != null) {
      readStore(g.entryOffset(first), MemorySegment.ofArray(entries), direct);
    } else {
      tags.read(g.entryOffset(first), entries, 0, entries.length);
    }
    Pending[] pending = epoch.states(first, n);
    boolean[] home = new boolean[n];
    // Data is contiguous within a chunk: one read per chunk the range touches.
    for (int from = 0; from < n; ) {
      int to = (int) Math.min(n, map.chunkEnd(first + from) - first);
      long at = map.offset(first + from);
      int lo = to;
      int hi = -1;
      for (int i = from; i < to; i++) {
        Pending p = pending[i];
        // A block is at home when its entry says so or its pending state's data went straight to
        // its place (a HOME or REMAP write): those come in the one read below, not a pread each.
        home[i] =
            p == null
                ? !zeroEntry(entries, i * es)
                : !p.zero() && p.dataAt() == at + (long) (i - from) * bs;
        if (home[i]) {
          lo = Math.min(lo, i);
          hi = i;
        }
      }
      if (hi >= lo) {
        readStore(
            at + (long) (lo - from) * bs,
            dst.asSlice((long) lo * bs, (long) (hi - lo + 1) * bs),
            direct);
      }
      from = to;
    }
    int tl = g.tagLength();
    byte[] actual = new byte[tl];
    // One buffer over the request, its window moved block by block: no buffer per block.
    ByteBuffer blocks = dst.asByteBuffer();
    for (int i = 0; i < n; i++) {
      long b = first + i;
      Pending p = pending[i];
      if ((p != null && p.zero()) || (p == null && zeroEntry(entries, i * es))) {
        dst.asSlice((long) i * bs, bs).fill((byte) 0);
        continue;
      }
      if (!home[i]) {
        readStore(p.dataAt(), dst.asSlice((long) i * bs, bs), direct);
      }
      blocks.limit((i + 1) * bs).position(i * bs);
      tagger.tag(b, blocks, actual, 0);
      // Compared where the tag lies (pending tag or the entry read above): no copy per block.
      boolean validEntry = p != null || entries[i * es] == 1;
      boolean matches =
          p != null
              ? Arrays.equals(p.tag(), actual)
              : validEntry && Arrays.equals(entries, i * es + 1, (i + 1) * es, actual, 0, tl);
      if (matches) {
        continue;
      }
      byte[] expected = p != null ? p.tag() : Arrays.copyOfRange(entries, i * es + 1, (i + 1) * es);
      HexFormat hex = HexFormat.of();
      String exp =
          validEntry
              ? hex.formatHex(expected)
              : "entry:" + hex.formatHex(entries, i * es, (i + 1) * es);
      Mismatch m = new Mismatch(b, exp, hex.formatHex(actual));
      if (sink != null) {
        sink.accept(m);
      } else {
        throw mismatch(m);
      }
    }
  }

  private ChecksumMismatchException mismatch(Mismatch m) {
    long count = mismatches.incrementAndGet();
    ByteRange range = blockRange(m.block());
    log.warn(
        "{}: block {} {} fails its {} tag: expected {} actual {} ({} mismatches so far)",
        name,
        m.block(),
        range,
        sb.algorithm().tagName(),
        m.expected(),
        m.actual(),
        count);
    return new ChecksumMismatchException(
        name, range, sb.algorithm().tagName(), m.expected(), m.actual());
  }

  /** The bytes of {@code block} in the volume's address space. */
  public ByteRange blockRange(long block) {
    return new ByteRange(block * g.blockSize(), (block + 1) * g.blockSize());
  }

  private boolean zeroEntry(byte[] entries, int at) {
    return allZero(entries, at, at + g.entrySize());
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads {@code dst.byteSize()} bytes of the store at {@code at}: a heap array's slice with the
   * array read (the only form {@code readDirect} has, and its only callers), native memory with
   * pread straight into it.
   */
  private void readStore(long at, MemorySegment dst, boolean direct) throws IOException {
    if (dst.heapBase().orElse(null) instanceof byte[] array) {
      // A heap segment's address is its offset in the array.
      int off = (int) dst.address();
      int len = (int) dst.byteSize();
      if (direct) {
        store.readDirect(at, array, off, len);
      } else {
        store.readFully(at, array, off, len);
      }
    } else {
      store.readFully(at, dst);
    }
  }

  /**
   * Verifies blocks {@code [first, first + count)} and hands every mismatch to {@code sink} instead
   * of failing (check, scrub and repair use it). Mismatches found here are not counted as served
   * errors.
   */
  public void verify(long first, long count, Consumer<Mismatch> sink) throws IOException {
    int bs = g.blockSize();
    int chunk = Math.max(1, (1 << 20) / bs);
    MemorySegment buf = MemorySegment.ofArray(new byte[chunk * bs]);
    lock.readLock().lock();
    try {
      for (long b = first; b < first + count; b += chunk) {
        int n = (int) Math.min(chunk, first + count - b);
        readBlocks(b, n, buf.asSlice(0, (long) n * bs), false, sink);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Extent extentAt(long position, long end) throws IOException {
    int bs = g.blockSize();
    // An end past the volume (a caller asking for "as far as it goes") stops at its last block.
    long last = Math.min((end + bs - 1) / bs, g.blocks());
    lock.readLock().lock();
    try {
      long b = position / bs;
      long limit = Math.min(Math.max(last, b + 1), b + 16L * SCAN_ENTRIES);
      // Sized to the request (one entry for a 4 KiB read), not to the longest scan.
      int window = (int) Math.min(SCAN_ENTRIES, limit - b);
      byte[] entries = new byte[window * g.entrySize()];
      boolean zero = false;
      long next = b;
      while (next < limit) {
        int n = (int) Math.min(window, limit - next);
        tags.read(g.entryOffset(next), entries, 0, n * g.entrySize());
        Pending[] pending = epoch.states(next, n);
        if (next == b) {
          zero = blockIsZero(pending[0], entries, 0);
        }
        int i = 0;
        while (i < n && blockIsZero(pending[i], entries, i * g.entrySize()) == zero) {
          i++;
        }
        next += i;
        if (i < n) {
          break;
        }
      }
      return new Extent(position, Math.min(next * bs, end) - position, zero);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Whether a block reads as zeros from the metadata alone: its pending state, else its entry. */
  private boolean blockIsZero(Pending p, byte[] entries, int at) {
    return p != null ? p.zero() : allZero(entries, at, at + g.entrySize());
  }

  // ---- writes ----

  /**
   * A whole chunk of a write request that goes to the free chunk {@code to} of the reserved spare
   * slot {@code slot}: its data at {@code at} in the request, its tags at {@code tagAt} in the
   * request's tags.
   */
  private record Fill(long chunk, int slot, long to, int at, int tagAt) {}

  /**
   * Writes in three steps, so that the per-byte work of whole-chunk overwrites runs outside the
   * write lock and concurrent requests (several NBD connections, or one connection's requests in
   * flight) overlap it: the tags of the whole blocks are computed first, without the lock; then,
   * under it, partial blocks and the blocks that stay in place are written as ever, and each whole
   * chunk that moves reserves a spare slot; then, without the lock, each such chunk's data goes to
   * its slot's free chunk; then, under the lock again, the REMAP records are appended. See "
   * Concurrency" in docs/volume-format.md for why every interleaving of these steps is safe.
   */
  @Override
  public void write(long position, byte[] src, int offset, int length) throws IOException {
    checkWrite(position, length);
    if (length == 0) {
      return;
    }
    int bs = g.blockSize();
    long firstWhole = (position + bs - 1) / bs;
    long endWhole = (position + length) / bs;
    // A tag depends only on the UUID, the block number and the data.
    byte[] tags =
        firstWhole < endWhole
            ? tag(
                firstWhole, endWhole - firstWhole, src, offset + (int) (firstWhole * bs - position))
            : null;
    List<Fill> fills = new ArrayList<>();
    lock.writeLock().lock();
    try {
      if (closed) {
        throw new IOException(name + ": volume is closed");
      }
      writeLocked(position, src, offset, length, tags, fills);
      if (!fills.isEmpty()) {
        inFlight++;
      }
    } catch (IOException | RuntimeException e) {
      for (Fill f : fills) {
        map.release(f.slot());
      }
      throw e;
    } finally {
      lock.writeLock().unlock();
    }
    if (!fills.isEmpty()) {
      fill(fills, src, tags);
    }
  }

  /**
   * Writes each reserved chunk's data to its slot's free chunk without the lock (nothing references
   * that chunk, and nobody else takes the slot), then appends their REMAP records under the lock. A
   * failure anywhere gives the unused slots back: their chunks are still referenced by nothing.
   */
  private void fill(List<Fill> fills, byte[] src, byte[] tags) throws IOException {
    long bytes = g.chunkBlocks() * g.blockSize();
    boolean written = false;
    try {
      for (Fill f : fills) {
        long place = g.chunkOffset(f.to());
        store.write(place, src, f.at(), (int) bytes);
        // The checkpoint's sync must find the chunk on its way to the disk, not still to write.
        store.startWriteback(place, bytes);
      }
      written = true;
    } finally {
      lock.writeLock().lock();
      try {
        int appended = 0;
        try {
          for (; written && appended < fills.size(); appended++) {
            Fill f = fills.get(appended);
            appendMove(f.chunk(), f.slot(), f.to(), tags, f.tagAt());
          }
        } finally {
          for (int i = appended; i < fills.size(); i++) {
            map.release(fills.get(i).slot());
          }
          if (--inFlight == 0) {
            settled.signalAll();
          }
        }
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  /** The tags of {@code count} whole blocks from {@code first}, data at {@code data[at...]}. */
  private byte[] tag(long first, long count, byte[] data, int at) {
    int bs = g.blockSize();
    int tl = g.tagLength();
    byte[] tags = new byte[(int) count * tl];
    for (int i = 0; i < count; i++) {
      tagger.tag(first + i, data, at + i * bs, bs, tags, i * tl);
    }
    return tags;
  }

  /**
   * Writes under the lock. {@code tags} are those of the whole blocks (null: computed here); with
   * {@code fills}, a whole chunk that moves only reserves its slot and is added there for {@link
   * #fill}, else it is written at once.
   */
  private void writeLocked(
      long position, byte[] src, int offset, int length, byte[] tags, List<Fill> fills)
      throws IOException {
    if (length == 0) {
      return;
    }
    int bs = g.blockSize();
    long end = position + length;
    long firstWhole = (position + bs - 1) / bs;
    long endWhole = end / bs;
    if (firstWhole >= endWhole) {
      // No whole block: one block, or the tail of one and the head of the next.
      for (long b = position / bs; b * bs < end; b++) {
        long from = Math.max(position, b * bs);
        long to = Math.min(end, (b + 1) * bs);
        writePartial(b, src, offset + (int) (from - position), (int) (from - b * bs), to - from);
      }
      return;
    }
    if (position < firstWhole * bs) {
      long b = firstWhole - 1;
      writePartial(b, src, offset, (int) (position - b * bs), firstWhole * bs - position);
    }
    int at = offset + (int) (firstWhole * bs - position);
    if (tags == null) {
      tags = tag(firstWhole, endWhole - firstWhole, src, at);
    }
    writeBlocks(firstWhole, endWhole - firstWhole, src, at, tags, fills);
    if (end > endWhole * bs) {
      writePartial(
          endWhole, src, offset + (int) (endWhole * bs - position), 0, end - endWhole * bs);
    }
  }

  /**
   * Read-modify-write of part of one block: {@code length} bytes at {@code into} in it, all under
   * the lock (the block's other bytes must be the ones it holds when it is written).
   */
  private void writePartial(long block, byte[] src, int offset, int into, long length)
      throws IOException {
    int bs = g.blockSize();
    byte[] data = new byte[bs];
    readBlocks(block, 1, MemorySegment.ofArray(data), false, null);
    System.arraycopy(src, offset, data, into, (int) length);
    writeBlocks(block, 1, data, 0, tag(block, 1, data, 0), null);
  }

  /**
   * Writes {@code count} whole blocks from {@code data[at...]} with their {@code tags}. Each whole
   * chunk that holds something (a spare chunk is free) goes to a spare chunk with one REMAP record
   * (with {@code fills}: only reserved, for {@link #fill}); the rest as {@link #writeInPlace}, and
   * so does a chunk that finds every unused slot reserved by writes in flight.
   */
  private void writeBlocks(
      long first, long count, byte[] data, int at, byte[] tags, List<Fill> fills)
      throws IOException {
    int bs = g.blockSize();
    int tl = g.tagLength();
    long cb = g.chunkBlocks();
    long done = first; // blocks before this are written
    for (long c = Math.ceilDiv(first, cb); (c + 1) * cb <= first + count; c++) {
      long c0 = c * cb;
      if (map.remappable(c) && !allTrue(holdsNothing(c0, (int) cb))) {
        writeInPlace(
            done,
            c0 - done,
            data,
            at + (int) ((done - first) * bs),
            tags,
            (int) ((done - first) * tl));
        int a = at + (int) ((c0 - first) * bs);
        int ta = (int) ((c0 - first) * tl);
        int slot = reserveSlot();
        if (slot < 0) {
          writeInPlace(c0, cb, data, a, tags, ta);
        } else if (fills != null) {
          fills.add(new Fill(c, slot, map.slotChunk(slot), a, ta));
        } else {
          remapNow(c, slot, data, a, tags, ta);
        }
        done = c0 + cb;
      }
    }
    writeInPlace(
        done,
        first + count - done,
        data,
        at + (int) ((done - first) * bs),
        tags,
        (int) ((done - first) * tl));
  }

  private static boolean allTrue(boolean[] b) {
    for (boolean x : b) {
      if (!x) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reserves a slot for a whole-chunk write: one neither used in this epoch nor reserved. With none
   * left but some used, it checkpoints first, which frees those; -1 when every unused slot is
   * reserved by writes in flight (the chunk is then journaled).
   */
  private int reserveSlot() throws IOException {
    if (map.freeSlot() < 0 && map.anyUsed()) {
      checkpointLocked(false);
    }
    return map.reserve();
  }

  /**
   * Writes all of chunk {@code c} once, under the lock: to reserved slot {@code slot}'s free chunk,
   * then its REMAP record. The chunk's old place stays as it was until the checkpoint makes the
   * move durable, so a crash leaves the old content or the new one.
   */
  private void remapNow(long c, int slot, byte[] data, int at, byte[] tags, int tagAt)
      throws IOException {
    long to = map.slotChunk(slot);
    long bytes = g.chunkBlocks() * g.blockSize();
    try {
      long place = g.chunkOffset(to);
      store.write(place, data, at, (int) bytes);
      store.startWriteback(place, bytes);
      appendMove(c, slot, to, tags, tagAt);
    } finally {
      map.release(slot); // unused if the move failed; a used slot keeps no reservation anyway
    }
  }

  /**
   * Appends the REMAP record of chunk {@code c}, whose data is in slot {@code slot}'s chunk {@code
   * to}, and makes it the chunk's newest state. Where the chunk leaves from is read now, not when
   * the slot was reserved: another request may have moved the chunk meanwhile, and the chunk it
   * left must be the one it holds now (each physical chunk in exactly one place: the map stays a
   * permutation).
   */
  private void appendMove(long c, int slot, long to, byte[] tags, int tagAt) throws IOException {
    int n = (int) g.chunkBlocks();
    int tl = g.tagLength();
    // The index holds a tag per pending block; bounding it bounds the server's memory.
    if (!journal.fits(Journal.remapRecordBytes(n, g)) || epoch.blocks() + n > MAX_PENDING) {
      checkpointLocked(false);
    }
    long from = map.physical(c);
    long[] blocks = new long[n];
    for (int i = 0; i < n; i++) {
      blocks[i] = c * n + i;
    }
    byte[] chunkTags = Arrays.copyOfRange(tags, tagAt, tagAt + n * tl);
    journal.appendRemap(blocks, chunkTags, to, from, slot);
    epoch.moved(c, to, from, slot, chunkTags);
  }

  /**
   * Writes {@code count} whole blocks from {@code data[at...]} with their tags at {@code
   * tags[tagAt...]} at their places. Each stretch of blocks that hold nothing goes home with one
   * HOME record (up to {@link Journal#blocksPerHomeRecord} blocks, so a request of up to 16 MiB of
   * 4 KiB blocks is one data write and one small journal write); the others are journaled in WRITE
   * records of up to 256 KiB.
   */
  private void writeInPlace(long first, long count, byte[] data, int at, byte[] tags, int tagAt)
      throws IOException {
    int bs = g.blockSize();
    int tl = g.tagLength();
    int per = Journal.blocksPerHomeRecord(bs);
    int perWrite = Journal.blocksPerRecord(bs);
    for (long done = 0; done < count; ) {
      int n = (int) Math.min(per, count - done);
      long b0 = first + done;
      int a0 = at + (int) (done * bs);
      int t0 = tagAt + (int) (done * tl);
      boolean[] home = holdsNothing(b0, n);
      for (int i = 0; i < n; ) {
        int limit = Math.min(n, i + (home[i] ? per : perWrite));
        int j = i + 1;
        while (j < limit && home[j] == home[i]) {
          j++;
        }
        writeRun(
            b0 + i,
            j - i,
            home[i],
            data,
            a0 + i * bs,
            Arrays.copyOfRange(tags, t0 + i * tl, t0 + j * tl));
        i = j;
      }
      done += n;
    }
  }

  /**
   * Which of blocks {@code [first, first + n)} hold nothing a crash could need: never written,
   * trimmed or zeroed and checkpointed (entry all zeros), with no state in the open journal. Their
   * data may go straight home: until a committed HOME record names it, the zero entry makes the
   * block read as zeros whatever its data area holds.
   */
  private boolean[] holdsNothing(long first, int n) throws IOException {
    int es = g.entrySize();
    byte[] entries = new byte[n * es];
    tags.read(g.entryOffset(first), entries, 0, entries.length);
    boolean[] home = new boolean[n];
    for (int i = 0; i < n; i++) {
      long b = first + i;
      home[i] = !epoch.names(b) && zeroEntry(entries, i * es);
    }
    return home;
  }

  /**
   * Writes {@code n} whole blocks from {@code data[at...]}: home with a HOME record, or journaled.
   */
  private void writeRun(long first, int n, boolean home, byte[] data, int at, byte[] tags)
      throws IOException {
    int bs = g.blockSize();
    long[] blocks = new long[n];
    for (int i = 0; i < n; i++) {
      blocks[i] = first + i;
    }
    long bytes = home ? Journal.homeRecordBytes(n, g) : Journal.writeRecordBytes(n, g);
    // The index holds a tag per pending block; bounding it bounds the server's memory.
    if (!journal.fits(bytes) || epoch.blocks() + n > MAX_PENDING) {
      checkpointLocked(false);
    }
    long[] dataAt = new long[n];
    if (home) {
      // One write per chunk the run touches: chunks lie wherever the map put them.
      for (int i = 0; i < n; ) {
        int j = (int) Math.min(n, map.chunkEnd(first + i) - first);
        long place = map.offset(first + i);
        store.write(place, data, at + i * bs, (j - i) * bs);
        for (int k = i; k < j; k++) {
          dataAt[k] = place + (long) (k - i) * bs;
        }
        i = j;
      }
      journal.appendHome(blocks, tags);
    } else {
      long journalAt = journal.appendWrite(blocks, tags, data, at);
      for (int i = 0; i < n; i++) {
        dataAt[i] = journalAt + (long) i * bs;
      }
    }
    epoch.wrote(blocks, dataAt, tags);
  }

  @Override
  public void zero(long position, long length) throws IOException {
    zero(position, length, true);
  }

  /** Zeros in the metadata too; only the data area's deallocation differs from {@link #zero}. */
  @Override
  public void zeroAllocated(long position, long length) throws IOException {
    zero(position, length, false);
  }

  private void zero(long position, long length, boolean punch) throws IOException {
    checkWrite(position, length);
    if (length == 0) {
      return;
    }
    int bs = g.blockSize();
    long end = position + length;
    long first = (position + bs - 1) / bs;
    long last = end / bs;
    lock.writeLock().lock();
    try {
      if (first >= last) {
        writeZeros(position, length);
        return;
      }
      writeZeros(position, first * bs - position);
      writeZeros(last * bs, end - last * bs);
      if (!journal.fits(JournalCodec.SECTOR)) {
        checkpointLocked(false);
      }
      journal.appendZero(first, last - first, punch);
      epoch.zeroed(first, last, punch);
      if (epoch.tooManyRuns()) {
        checkpointLocked(false);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void writeZeros(long position, long length) throws IOException {
    if (length > 0) {
      writeLocked(position, new byte[(int) length], 0, (int) length, null, null);
    }
  }

  @Override
  public void flush() throws IOException {
    if (!writable) {
      return;
    }
    lock.writeLock().lock();
    try {
      if (journal.commit()) {
        store.flush();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Makes the journal durable, writes its blocks and tags to their home places, makes those
   * durable, and starts a new journal epoch in the other superblock copy. A crash anywhere in
   * between replays the same journal again, which rewrites the same bytes.
   */
  private void checkpointLocked(boolean force) throws IOException {
    if (!force && journal.position() == 0 && epoch.isEmpty()) {
      return;
    }
    journal.commit();
    store.flush();
    for (long[] p : epoch.punches()) {
      store.zero(p[0], p[1]);
    }
    for (Map.Entry<Long, Long> z : epoch.zeroRuns().entrySet()) {
      long at = g.entryOffset(z.getKey());
      long length = (z.getValue() - z.getKey()) * g.entrySize();
      tags.invalidate(at, length); // first: a write that fails midway leaves no page stale
      store.zero(at, length);
    }
    homeWriter.apply(epoch.pending());
    map.write();
    store.flush();
    long used = journal.position();
    sb = sb.next(sb.journalEpoch() + 1, mismatches.get());
    writeSuperblock();
    store.flush();
    // Records of the old epoch can never replay (replay stops at the first of another epoch), so
    // they stay for the next epoch to write over: zeroing them here would make every epoch
    // allocate its journal anew (on a device, write it twice). A clean close zeroes them.
    journalWritten |= used > 0;
    journal.reset(sb.journalEpoch());
    map.checkpointed();
    epoch.clear();
  }

  /**
   * Rewrites both superblock copies in the current format version, after a checkpoint emptied the
   * journal and before anything new is written. A version-2 reader refuses the new copies; one that
   * finds only the first rewritten (a crash between the two) uses the old copy, whose journal is
   * the same empty one, so it never misses a record it cannot read.
   */
  private void upgradeLocked() throws IOException {
    for (int copy = 0; copy < 2; copy++) {
      sb = sb.upgraded();
      writeSuperblock();
      store.flush();
    }
    log.info("{}: both superblock copies upgraded to format version {}", name, sb.version());
  }

  private void writeSuperblock() throws IOException {
    SuperblockCopies.write(store, sb);
  }

  /** Records a finished scrub in the superblock (durably). */
  public void recordScrub(long epochSeconds, long badBlocks) throws IOException {
    checkWrite(0, 0);
    lock.writeLock().lock();
    try {
      checkpointLocked(false);
      sb = sb.withScrub(epochSeconds, badBlocks);
      writeSuperblock();
      store.flush();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void checkWrite(long position, long length) throws IOException {
    if (!writable) {
      throw new ReadOnlyImageException(name);
    }
    if (closed) {
      throw new IOException(name + ": volume is closed");
    }
    if (position < 0 || length < 0 || position > g.size() - length) {
      throw new IOException(
          name + ": write of " + length + " bytes at " + position + " is past the end " + g.size());
    }
  }

  /**
   * Checkpoints (so the volume is clean on disk), records the counters, zeroes the journal, and
   * closes the storage.
   */
  @Override
  public void close() throws IOException {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      // Writes that reserved slots before the close finish first, so that the checkpoint below
      // makes them durable and the storage is not closed under their data writes.
      while (inFlight > 0) {
        settled.awaitUninterruptibly();
      }
      if (writable) {
        boolean counters = mismatches.get() != sb.mismatches();
        checkpointLocked(counters);
        if (journalWritten) {
          // Frees the space and keeps old copies of data out of the backing store at rest.
          store.zero(g.journalOffset(), g.journalLength());
        }
      }
    } finally {
      lock.writeLock().unlock();
      store.close();
    }
  }

  @Override
  public String toString() {
    return "Volume[" + name + ", " + g.size() + " bytes, " + sb.algorithm().tagName() + "]";
  }
}
