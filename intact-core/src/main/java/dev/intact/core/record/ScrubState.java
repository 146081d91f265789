package dev.intact.core.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * What a scrub has done, kept so a killed scrub (even {@code kill -9}, or a power cut) resumes
 * where it was: an append-only journal of {@code STATUS<TAB>NAME<TAB>CRC32C} lines, NAME escaped as
 * in manifests. A line counts only if it is whole and its CRC-32C matches, so a torn last line is
 * simply done again. Lines are forced to disk at least every {@link #SYNC_EVERY} entries and at
 * {@link #close}: a crash loses at most the last few, which are scrubbed again, and the journal
 * never claims a file that was not checked.
 */
public final class ScrubState implements AutoCloseable {
  static final int SYNC_EVERY = 64;

  private final Path path;
  private final Map<String, String> done;
  private final FileChannel channel;
  private int unsynced;

  private ScrubState(Path path, Map<String, String> done, FileChannel channel) {
    this.path = path;
    this.done = done;
    this.channel = channel;
  }

  /** Opens (or creates) the journal at {@code path} and reads what it already holds. */
  public static ScrubState open(Path path) throws IOException {
    Map<String, String> done = new HashMap<>();
    if (Files.exists(path)) {
      String text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
      int start = 0;
      for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        parse(text.substring(start, nl), done);
        start = nl + 1;
      }
    }
    FileChannel ch =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    return new ScrubState(path, done, ch);
  }

  private static void parse(String line, Map<String, String> done) {
    int t1 = line.indexOf('\t');
    int t2 = line.lastIndexOf('\t');
    if (t1 <= 0 || t2 <= t1) {
      return;
    }
    String body = line.substring(0, t2);
    if (!crc(body).equals(line.substring(t2 + 1))) {
      return;
    }
    try {
      done.put(Manifest.unescape(line.substring(t1 + 1, t2), "state"), line.substring(0, t1));
    } catch (MalformedRecordException e) {
      // A line with a bad escape cannot have been written by this class: ignore it like a torn one.
    }
  }

  private static String crc(String body) {
    CRC32C c = new CRC32C();
    c.update(body.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().toHexDigits((int) c.getValue());
  }

  /** The status a previous run recorded for {@code file}, or null if it still has to be done. */
  public synchronized String statusOf(Path file) {
    return ExactNames.spellsItsBytes(file) ? done.get(file.toString()) : null;
  }

  /** How many files the journal holds (this run's and the interrupted runs'). */
  public synchronized int size() {
    return done.size();
  }

  /** Notes that {@code file} was checked with {@code status} (a word without tabs). */
  public synchronized void done(Path file, String status) throws IOException {
    if (!channel.isOpen() || !ExactNames.spellsItsBytes(file)) {
      // Closed by an interrupted run's hook, or a name (not UTF-8) whose text two files may share:
      // not journaled, so checked again by a resumed run, never skipped as done.
      return;
    }
    String body = status + "\t" + Manifest.escape(file.toString());
    byte[] line = (body + "\t" + crc(body) + "\n").getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.wrap(line);
    while (b.hasRemaining()) {
      channel.write(b);
    }
    done.put(file.toString(), status);
    if (++unsynced >= SYNC_EVERY) {
      channel.force(false);
      unsynced = 0;
    }
  }

  /** Forces what was written to disk and closes the journal. */
  @Override
  public synchronized void close() throws IOException {
    if (!channel.isOpen()) {
      return;
    }
    try {
      channel.force(false);
    } finally {
      channel.close();
    }
  }

  /** Closes and deletes the journal: the scrub it tracked is complete. */
  public void finish() throws IOException {
    close();
    Files.deleteIfExists(path);
  }
}
