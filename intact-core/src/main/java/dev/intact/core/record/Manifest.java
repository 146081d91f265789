package dev.intact.core.record;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.hash.HashCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Records kept in a manifest file, for file systems without user extended attributes: a sum file in
 * BSD-tag form ({@code SHA256 (NAME) = HEX}, so {@code intact sum -c} checks it too) where each
 * file's tag lines follow a stamp line giving the size and mtime they were made for:
 *
 * <pre>
 * # intact manifest v1
 * #@ size=1000000 mtime=1796193119.997460608 data/run1.root
 * ADLER32 (data/run1.root) = 697d3679
 * SHA256 (data/run1.root) = 3c1f...
 * #! data/run2.root 2026-12-02T06:40:00Z adler32 expected=... actual=...
 * </pre>
 *
 * Names holding a newline or backslash are escaped ({@code \n}, {@code \\}) and their tag line
 * starts with a backslash, as coreutils does. {@code #!} lines keep recorded failures.
 *
 * <p>Crash-safe as a run goes: each file's lines are appended as soon as it is recorded (one {@code
 * write} per file, forced to disk every {@link #SYNC_EVERY} files and at {@link #save}), so a run
 * killed with {@code kill -9} keeps every file it finished. A later stamp for the same name
 * replaces the earlier one when read. {@link #save} then compacts the file atomically (temporary
 * file, fsync, rename). A torn tail (a last line without its newline, or the zeros a power cut may
 * leave) is dropped when the manifest is opened: the lines before it only ever hold values that
 * were computed, so a file cut short of some types simply lacks their records.
 */
public final class Manifest implements RecordStore {
  static final String HEADER = "# intact manifest v1";
  static final int SYNC_EVERY = 64;

  private final Path path;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final List<String> errors = new ArrayList<>();

  /** Changed since the file was last compacted by {@link #save}. */
  private boolean dirty;

  /** The file must be rewritten before anything is appended (missing, or a torn tail). */
  private boolean rewriteFirst;

  /** Open for appending while a run records; closed (null) by {@link #save}. */
  private FileChannel appender;

  private int unsynced;

  private record Entry(
      long size, long mtimeSeconds, int mtimeNanos, Map<ChecksumType, HashCode> values) {}

  private Manifest(Path path) {
    this.path = path;
  }

  /**
   * Opens the manifest at {@code path}; a missing file is an empty manifest (created by {@link
   * #save}).
   *
   * @throws MalformedRecordException naming the line that is not a manifest line
   */
  public static Manifest open(Path path) throws IOException {
    Manifest m = new Manifest(path);
    if (!Files.exists(path)) {
      m.rewriteFirst = true;
      return m;
    }
    String text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
    String whole = wholeLines(text);
    m.parse(whole.lines().toList());
    if (whole.isEmpty() || whole.length() != text.length()) {
      m.rewriteFirst = true; // appending after a torn line would glue the next one to it
      m.dirty = true;
    }
    return m;
  }

  /** {@code text} up to its last newline, before any NUL (no name holds one: a power cut's). */
  private static String wholeLines(String text) {
    int nul = text.indexOf('\0');
    String kept = nul < 0 ? text : text.substring(0, nul);
    return kept.substring(0, kept.lastIndexOf('\n') + 1);
  }

  /** A manifest of these lines (tests and the fuzz target: no file is read). */
  static Manifest fromLines(Path path, List<String> lines) throws MalformedRecordException {
    Manifest m = new Manifest(path);
    m.parse(lines);
    return m;
  }

  /** The names the manifest has records for, in file order. */
  public synchronized List<Path> files() {
    return entries.keySet().stream().map(Path::of).toList();
  }

  void parse(List<String> lines) throws MalformedRecordException {
    Entry current = null;
    String currentName = null;
    for (int i = 0; i < lines.size(); i++) {
      String where = path + ":" + (i + 1);
      String line = lines.get(i);
      if (line.startsWith("#@ ")) {
        String[] parts = line.substring(3).split(" ", 3);
        if (parts.length != 3 || !parts[0].startsWith("size=") || !parts[1].startsWith("mtime=")) {
          throw new MalformedRecordException(where, "stamp line is not '#@ size=N mtime=S.N NAME'");
        }
        try {
          long size = Long.parseLong(parts[0].substring(5));
          String[] mtime = parts[1].substring(6).split("\\.", -1);
          if (mtime.length != 2 || mtime[1].length() != 9 || size < 0) {
            throw new NumberFormatException(parts[1]);
          }
          int nanos = Integer.parseInt(mtime[1]);
          if (nanos < 0) {
            throw new NumberFormatException(parts[1]);
          }
          currentName = unescape(parts[2], where);
          if (currentName.indexOf('\0') >= 0) {
            // No file system allows it, and Path.of would throw on it.
            throw new MalformedRecordException(where, "file name contains a NUL byte");
          }
          current = new Entry(size, Long.parseLong(mtime[0]), nanos, new LinkedHashMap<>());
          if (entries.put(currentName, current) != null) {
            dirty = true; // appended by a run that did not finish: compact at the next save
          }
        } catch (NumberFormatException e) {
          throw new MalformedRecordException(where, "bad size or mtime in stamp line");
        }
      } else if (line.startsWith("#! ")) {
        errors.add(line.substring(3));
      } else if (!line.startsWith("#") && !line.isEmpty()) {
        boolean escaped = line.startsWith("\\");
        String body = escaped ? line.substring(1) : line;
        int open = body.indexOf(" (");
        int close = body.lastIndexOf(") = ");
        if (open <= 0 || close < open) {
          throw new MalformedRecordException(where, "not a 'TAG (NAME) = HEX' line");
        }
        String name = body.substring(open + 2, close);
        name = escaped ? unescape(name, where) : name;
        if (current == null || !name.equals(currentName)) {
          throw new MalformedRecordException(where, "checksum line without a stamp line before it");
        }
        try {
          ChecksumType type = parseTag(body.substring(0, open));
          current
              .values()
              .put(type, HashCode.parse(body.substring(close + 4), type.digestLength(), false));
        } catch (IllegalArgumentException e) {
          throw new MalformedRecordException(where, e.getMessage());
        }
      }
    }
  }

  @Override
  public synchronized FileRecords read(Path file) {
    Entry e = entries.get(file.toString());
    if (e == null) {
      return FileRecords.none();
    }
    List<StoredRecord> records = new ArrayList<>();
    e.values()
        .forEach(
            (type, value) ->
                records.add(
                    new StoredRecord(
                        type,
                        value,
                        StoredRecord.Origin.MANIFEST,
                        path + ": " + file,
                        e.size(),
                        e.mtimeSeconds(),
                        e.mtimeNanos())));
    return new FileRecords(records, List.of());
  }

  @Override
  public synchronized void write(Path file, FileStamp stamp, List<Checksum> values, long computedAt)
      throws IOException {
    String name = exactName(file);
    Entry old = entries.get(name);
    Map<ChecksumType, HashCode> merged = new LinkedHashMap<>();
    if (old != null
        && old.size() == stamp.size()
        && old.mtimeSeconds() == stamp.mtimeSeconds()
        && old.mtimeNanos() == stamp.mtimeNanos()) {
      merged.putAll(old.values());
    }
    for (Checksum c : values) {
      merged.put(c.type(), c.value());
    }
    Entry entry = new Entry(stamp.size(), stamp.mtimeSeconds(), stamp.mtimeNanos(), merged);
    entries.put(name, entry);
    dirty = true;
    StringBuilder block = new StringBuilder();
    appendEntry(block, name, entry);
    append(block.toString());
  }

  @Override
  public synchronized void recordError(Path file, String text) throws IOException {
    String line = escape(exactName(file)) + " " + text;
    errors.add(line);
    dirty = true;
    append("#! " + line + "\n");
  }

  /** The name as the manifest keeps it; one its text cannot spell would name another file. */
  private static String exactName(Path file) throws IOException {
    if (!ExactNames.spellsItsBytes(file)) {
      throw new IOException(
          file
              + ": the name is not UTF-8, so a manifest cannot name it; keep its records in"
              + " extended attributes (no --manifest)");
    }
    return file.toString();
  }

  /** Appends one file's lines in one write, so a killed run keeps every file it finished. */
  private void append(String lines) throws IOException {
    if (rewriteFirst) {
      rewrite(); // it holds these lines already
      return;
    }
    if (appender == null) {
      appender = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      appender.write(b);
    }
    if (++unsynced >= SYNC_EVERY) {
      appender.force(false);
      unsynced = 0;
    }
  }

  /**
   * Compacts the file atomically (one stamp per file, the failures last) if anything changed since
   * it was opened, and closes it for appending.
   */
  public synchronized void save() throws IOException {
    if (appender != null) {
      try {
        appender.force(false);
      } finally {
        appender.close();
        appender = null;
        unsynced = 0;
      }
    }
    if (dirty) {
      rewrite();
      dirty = false;
    }
  }

  private static void appendEntry(StringBuilder text, String name, Entry e) {
    String escaped = escape(name);
    text.append("#@ size=")
        .append(e.size())
        .append(" mtime=")
        .append(e.mtimeSeconds())
        .append('.')
        .append(String.format("%09d", e.mtimeNanos()))
        .append(' ')
        .append(escaped)
        .append('\n');
    e.values()
        .forEach(
            (type, value) ->
                text.append(escaped.equals(name) ? "" : "\\")
                    .append(tag(type))
                    .append(" (")
                    .append(escaped)
                    .append(") = ")
                    .append(value.toHex())
                    .append('\n'));
  }

  /** Replaces the file atomically (temporary file, fsync, rename) with the current records. */
  private void rewrite() throws IOException {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    entries.forEach((name, e) -> appendEntry(text, name, e));
    errors.forEach(e -> text.append("#! ").append(e).append('\n'));
    Path dir = path.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    rewriteFirst = false;
  }

  /** {@code SHA256}, {@code IMAGEIO:SHA1/1048576} (block size only when not the default). */
  static String tag(ChecksumType type) {
    String base = type.name().toUpperCase(Locale.ROOT);
    return type instanceof BlockHashList b && b.blockSize() != b.construction().defaultBlockSize()
        ? base + "/" + b.blockSize()
        : base;
  }

  static ChecksumType parseTag(String tag) {
    int slash = tag.indexOf('/');
    if (slash < 0) {
      return ChecksumType.parse(tag, OptionalLong.empty());
    }
    long blockSize;
    try {
      blockSize = Long.parseLong(tag.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad block size in tag '" + tag + "'", e);
    }
    return ChecksumType.parse(tag.substring(0, slash), OptionalLong.of(blockSize));
  }

  static String escape(String name) {
    return name.replace("\\", "\\\\")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t");
  }

  static String unescape(String text, String where) throws MalformedRecordException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++i == text.length()) {
        throw new MalformedRecordException(where, "name ends with a lone backslash");
      }
      switch (text.charAt(i)) {
        case '\\' -> b.append('\\');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        default -> throw new MalformedRecordException(where, "unknown escape in name");
      }
    }
    return b.toString();
  }
}
