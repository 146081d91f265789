package dev.intact.core.volume;

import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Extent;
import dev.intact.core.image.LocalImage;
import dev.intact.core.image.WritableImage;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

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
 *
 * <p>This class opens and creates volumes and holds their parts: the read path ({@link
 * BlockReader}), the write path ({@link BlockWriter}, with {@link ChunkMover} and {@link
 * InPlaceWriter}) and durability ({@link Checkpointer}), which share its lock.
 */
public final class Volume implements WritableImage {
  private final WritableImage store;
  private final String name;
  private final boolean writable;
  private final Geometry g;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicLong mismatches;
  private final OpenReport openReport;
  private final BlockReader reader;
  private final BlockWriter writer;
  private final Checkpointer checkpointer;

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
    this.g = sb.geometry();
    this.mismatches = new AtomicLong(sb.mismatches());
    this.openReport = report;
    Journal journal = new Journal(store, g, sb.journalEpoch(), scan.seq(), scan.end());
    TagPages tags = new TagPages(store, g);
    OpenEpoch epoch = new OpenEpoch(g, map);
    for (Journal.Replayed r : scan.committed()) {
      epoch.apply(r);
    }
    this.reader = new BlockReader(store, name, g, tagger, tags, map, epoch, lock, mismatches);
    this.checkpointer = new Checkpointer(store, name, sb, journal, tags, map, epoch, mismatches);
    ChunkMover mover = new ChunkMover(store, g, journal, map, epoch, checkpointer);
    InPlaceWriter inPlace =
        new InPlaceWriter(store, g, journal, tags, map, epoch, reader, checkpointer);
    this.writer =
        new BlockWriter(
            name,
            writable,
            g,
            tagger,
            journal,
            map,
            epoch,
            reader,
            checkpointer,
            mover,
            inPlace,
            lock);
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
        v.checkpointer.checkpoint(true);
        if (old) {
          v.checkpointer.upgrade();
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
      return checkpointer.superblock();
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
    reader.read(position, slice(position, dst, offset, length), false);
  }

  @Override
  public void readDirect(long position, byte[] dst, int offset, int length) throws IOException {
    reader.read(position, slice(position, dst, offset, length), true);
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
    reader.read(position, dst, false);
  }

  /** The bytes of {@code block} in the volume's address space. */
  public ByteRange blockRange(long block) {
    return reader.blockRange(block);
  }

  /**
   * Verifies blocks {@code [first, first + count)} and hands every mismatch to {@code sink} instead
   * of failing (check, scrub and repair use it). Mismatches found here are not counted as served
   * errors.
   */
  public void verify(long first, long count, Consumer<Mismatch> sink) throws IOException {
    reader.verify(first, count, sink);
  }

  @Override
  public Extent extentAt(long position, long end) throws IOException {
    return reader.extentAt(position, end);
  }

  // ---- writes ----

  /** Writes as {@link BlockWriter#write}: see "Concurrency" in docs/volume-format.md. */
  @Override
  public void write(long position, byte[] src, int offset, int length) throws IOException {
    writer.write(position, src, offset, length);
  }

  @Override
  public void zero(long position, long length) throws IOException {
    writer.zero(position, length, true);
  }

  /** Zeros in the metadata too; only the data area's deallocation differs from {@link #zero}. */
  @Override
  public void zeroAllocated(long position, long length) throws IOException {
    writer.zero(position, length, false);
  }

  // ---- durability ----

  @Override
  public void flush() throws IOException {
    if (!writable) {
      return;
    }
    lock.writeLock().lock();
    try {
      checkpointer.flush();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Records a finished scrub in the superblock (durably). */
  public void recordScrub(long epochSeconds, long badBlocks) throws IOException {
    writer.checkWrite(0, 0);
    lock.writeLock().lock();
    try {
      checkpointer.recordScrub(epochSeconds, badBlocks);
    } finally {
      lock.writeLock().unlock();
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
      if (!writer.close()) {
        return;
      }
      if (writable) {
        checkpointer.close();
      }
    } finally {
      lock.writeLock().unlock();
      store.close();
    }
  }

  @Override
  public String toString() {
    return "Volume["
        + name
        + ", "
        + g.size()
        + " bytes, "
        + checkpointer.superblock().algorithm().tagName()
        + "]";
  }
}
