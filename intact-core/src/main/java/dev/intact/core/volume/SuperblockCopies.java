package dev.intact.core.volume;

import dev.intact.core.image.WritableImage;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The two superblock copies on the storage: reading the valid ones, newest first, and writing one.
 * Every update writes copy {@code generation mod 2}, so the copy being written is never the one in
 * use and a torn write leaves the previous one.
 */
final class SuperblockCopies {
  private SuperblockCopies() {}

  /**
   * The valid superblock copies, newest first; one message per unusable copy goes to {@code
   * problems}.
   *
   * @throws VolumeFormatException naming the first problem when neither copy is usable
   */
  static List<Superblock> read(WritableImage store, String name, List<String> problems)
      throws IOException {
    List<Superblock> valid = new ArrayList<>();
    for (int copy = 0; copy < 2; copy++) {
      byte[] bytes = new byte[SuperblockCodec.SIZE];
      String where = name + " superblock copy " + copy;
      try {
        store.readFully(copy * Geometry.SUPERBLOCK_SLOT, bytes, 0, bytes.length);
        valid.add(SuperblockCodec.decode(bytes, where));
      } catch (VolumeFormatException e) {
        problems.add(e.getMessage());
      } catch (EOFException e) {
        problems.add(where + ": storage too small to hold it");
      }
    }
    if (valid.isEmpty()) {
      throw new VolumeFormatException(problems.getFirst());
    }
    valid.sort((a, b) -> Long.compare(b.generation(), a.generation()));
    return valid;
  }

  /** Writes {@code sb} to copy {@code generation mod 2}. */
  static void write(WritableImage store, Superblock sb) throws IOException {
    byte[] bytes = SuperblockCodec.encode(sb);
    store.write((sb.generation() % 2) * Geometry.SUPERBLOCK_SLOT, bytes, 0, bytes.length);
  }
}
