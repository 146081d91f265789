package dev.intact.core.record;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumMismatchException;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashCode;
import dev.intact.core.image.LocalImage;
import dev.intact.core.posix.NativeFile;
import dev.intact.core.posix.Posix;
import dev.intact.core.posix.Xattrs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The archive gate: a file enters the archive only with its checksums proved end to end, as CTA
 * admits files to tape. The copy is written to a temporary name in the destination's directory
 * while every type is hashed in flight; it is then fsynced, read back bypassing the page cache
 * (O_DIRECT) and hashed again; every value must equal the in-flight one, the user's ({@code
 * ALG:VALUE}) and the source's records (a source that rotted is refused). Only then are the records
 * written on the copy, which is linked into place under its final name (atomically, never replacing
 * a file) and the directory fsynced. On any refusal the temporary file is removed, the destination
 * never appears, and the reason is recorded on the source ({@link #ERROR_ATTRIBUTE}).
 *
 * <p>A directory policy like EOS's {@code sys.forced.checksum}: attribute {@link #FORCED_ATTRIBUTE}
 * on the destination's directory ({@code adler32}, or a comma-separated list) makes those types
 * required: the source must carry a fresh record of each.
 */
public final class ArchiveGate {
  /** On the source: why it was refused, in CTA's wording. */
  public static final String ERROR_ATTRIBUTE = "user.intact.archive.error";

  /** On a destination directory: the types every file archived there must carry. */
  public static final String FORCED_ATTRIBUTE = "user.intact.forced.checksum";

  /** Temporary files being written, so an interrupted run can remove them ({@link #abandon}). */
  private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

  /**
   * Set by {@link #abandon}: no copy starts after it (a temporary file made after the shutdown hook
   * ran would outlive the process). Guarded by {@link #IN_PROGRESS}.
   */
  private static boolean abandoned;

  private final XattrRecords records = new XattrRecords();

  /** How the copy is read back; the identity except in tests that make the medium lie. */
  private final ReadBack medium;

  /** What the copy's read-back reads through: the copy's own O_DIRECT reader, or a test's. */
  @FunctionalInterface
  interface ReadBack {
    OnePassChecksums.Source through(OnePassChecksums.Source direct);
  }

  /** A gate reading copies back with O_DIRECT. */
  public ArchiveGate() {
    this(direct -> direct);
  }

  /** A gate whose read-back goes through {@code readBack}: tests inject a medium that lies. */
  ArchiveGate(ReadBack readBack) {
    this.medium = readBack;
  }

  /** What was archived: the checksums proved, by type, in request order. */
  public record Archived(Path source, Path destination, List<Checksum> checksums) {}

  /**
   * Archives {@code source} as {@code destination} (which must not exist).
   *
   * @throws ArchiveRefusedException for a missing or mismatching checksum, or an unproved copy
   * @throws IOException if the copy fails for another reason (the destination does not appear)
   */
  public Archived archive(
      Path source, Path destination, List<ChecksumRequest> requests, LongConsumer progress)
      throws IOException {
    try {
      return copy(source, destination, requests, progress);
    } catch (ArchiveRefusedException e) {
      recordRefusal(source, e.reason());
      throw e;
    }
  }

  private Archived copy(
      Path source, Path destination, List<ChecksumRequest> requests, LongConsumer progress)
      throws IOException {
    String src = source.toString();
    FileStamp stamp = FileStamp.of(source);
    if (Files.exists(destination, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(destination.toString());
    }
    Path dir = destination.toAbsolutePath().getParent();
    FileRecords onSource = records.read(source);
    if (!onSource.malformed().isEmpty()) {
      throw new ArchiveRefusedException(
          src, "malformed checksum record " + onSource.malformed().getFirst().getMessage(), null);
    }
    Map<ChecksumType, HashCode> expected = new LinkedHashMap<>();
    Set<ChecksumType> types = new LinkedHashSet<>();
    for (StoredRecord r : onSource.records()) {
      String stale = r.staleReason(stamp);
      if (stale != null) {
        throw new ArchiveRefusedException(
            src, "stale checksum record " + r.type().name() + ": " + stale, null);
      }
      types.add(r.type());
      expected.put(r.type(), r.value());
    }
    for (ChecksumType forced : forcedTypes(dir)) {
      requireRecord(src, onSource, forced);
      types.add(forced);
    }
    for (ChecksumRequest q : requests) {
      types.add(q.type());
      switch (q.mode()) {
        case SOURCE -> requireRecord(src, onSource, q.type());
        case VALUE -> {
          HashCode old = expected.putIfAbsent(q.type(), q.value());
          if (old != null && !old.equals(q.value())) {
            throw mismatch(src, q.type(), q.value(), old, "the source's record");
          }
        }
        case COMPUTE, PRINT -> {}
      }
    }
    if (types.isEmpty()) {
      types.add(ChecksumType.parse("adler32", java.util.OptionalLong.empty()));
    }
    List<ChecksumType> typeList = List.copyOf(types);
    Path tmp = startCopy(dir, destination);
    try {
      List<Checksum> values;
      try (LocalImage out = LocalImage.openWrite(tmp)) {
        values =
            StableRead.compute(
                source,
                stamp,
                typeList,
                progress,
                (pos, buf, off, len) -> out.write(pos, buf, off, len));
        out.nativeFile().fsync();
        List<Checksum> readBack =
            OnePassChecksums.compute(
                tmp.toString(), medium.through(out::readDirect), stamp.size(), typeList, n -> {});
        for (int i = 0; i < typeList.size(); i++) {
          if (!readBack.get(i).value().equals(values.get(i).value())) {
            throw mismatch(
                src,
                typeList.get(i),
                values.get(i).value(),
                readBack.get(i).value(),
                "the copy read back from " + tmp);
          }
        }
        for (Checksum c : values) {
          HashCode want = expected.get(c.type());
          if (want != null && !want.equals(c.value())) {
            throw mismatch(src, c.type(), want, c.value(), "the data read");
          }
        }
        records.write(
            new Xattrs.OnDescriptor(out.nativeFile().fd(), tmp.toString()),
            FileStamp.of(tmp),
            values,
            Instant.now().getEpochSecond());
        out.nativeFile().fsync();
      }
      Files.setPosixFilePermissions(
          tmp, Files.getPosixFilePermissions(source, java.nio.file.LinkOption.NOFOLLOW_LINKS));
      // link(2) never replaces a file: a destination that appeared meanwhile is not overwritten.
      Files.createLink(destination, tmp);
      Files.delete(tmp);
      fsyncDirectory(dir);
      return new Archived(source, destination, values);
    } finally {
      Files.deleteIfExists(tmp);
      IN_PROGRESS.remove(tmp);
    }
  }

  /** The temporary file a copy is written to, registered for {@link #abandon}. */
  private static Path startCopy(Path dir, Path destination) throws IOException {
    synchronized (IN_PROGRESS) {
      if (abandoned) {
        throw new java.io.InterruptedIOException(destination + ": not archived: interrupted");
      }
      Path tmp = Files.createTempFile(dir, "." + destination.getFileName() + ".", ".intact-tmp");
      IN_PROGRESS.add(tmp);
      return tmp;
    }
  }

  private static void requireRecord(String src, FileRecords onSource, ChecksumType type)
      throws ArchiveRefusedException {
    if (onSource.of(type).isEmpty()) {
      throw new ArchiveRefusedException(
          src,
          "checksum type expected=" + type.name().toUpperCase(Locale.ROOT) + " actual=NONE",
          null);
    }
  }

  private static ArchiveRefusedException mismatch(
      String src, ChecksumType type, HashCode expected, HashCode actual, String what) {
    ChecksumMismatchException cause =
        new ChecksumMismatchException(src, null, type.name(), expected.toHex(), actual.toHex());
    return new ArchiveRefusedException(
        src,
        "checksum value mismatch "
            + type.name()
            + " expected="
            + expected.toHex()
            + " actual="
            + actual.toHex()
            + " ("
            + what
            + ")",
        cause);
  }

  /** The types the directory's policy forces, from {@link #FORCED_ATTRIBUTE}. */
  public static List<ChecksumType> forcedTypes(Path dir) throws IOException {
    Optional<byte[]> raw;
    try {
      raw = Xattrs.get(new Xattrs.OnPath(dir), FORCED_ATTRIBUTE);
    } catch (dev.intact.core.posix.XattrsUnsupportedException e) {
      return List.of(); // no attributes, so no policy
    }
    if (raw.isEmpty()) {
      return List.of();
    }
    List<ChecksumType> types = new ArrayList<>();
    String text = new String(raw.get(), StandardCharsets.UTF_8).strip();
    for (String name : text.split(",", -1)) {
      try {
        types.add(ChecksumRequest.parse(name).type());
      } catch (IllegalArgumentException e) {
        throw new IOException(
            dir + ": " + FORCED_ATTRIBUTE + "='" + text + "': " + e.getMessage(), e);
      }
    }
    return types;
  }

  private void recordRefusal(Path source, String reason) {
    try {
      Xattrs.set(
          new Xattrs.OnPath(source),
          ERROR_ATTRIBUTE,
          (Instant.now() + " " + reason).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The refusal itself is reported to the caller; failing to note it on the source (read-only
      // medium, no attributes) must not hide it.
    }
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (NativeFile d = Posix.open(dir, Posix.O_RDONLY, 0)) {
      d.fsync();
    }
  }

  /** Removes the temporary files of copies still running: for a shutdown hook (Ctrl-C). */
  public static void abandon() {
    synchronized (IN_PROGRESS) {
      abandoned = true;
      for (Path tmp : IN_PROGRESS) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // Best effort at exit: the name starts with a dot and ends in .intact-tmp, never DEST's.
        }
      }
    }
  }
}
