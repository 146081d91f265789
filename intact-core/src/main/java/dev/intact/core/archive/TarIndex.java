package dev.intact.core.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the regular files of a tar archive with their offsets, so a disk inside an OVA is read in
 * place. Reads only the 512-byte headers: ustar (OVF requires it), plus the pax {@code path}/{@code
 * size} records and GNU long names that GNU tar writes for long names or large members.
 */
public final class TarIndex {
  private static final int BLOCK = 512;

  private TarIndex() {}

  /** Whether {@code file} starts with a tar header (the {@code ustar} magic at 257). */
  public static boolean isTar(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(BLOCK);
      while (b.hasRemaining() && ch.read(b) > 0) {}
      return !b.hasRemaining() && ascii(b.array(), 257, 5).equals("ustar");
    }
  }

  public static List<TarMember> members(Path tar) throws IOException {
    List<TarMember> members = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(tar, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      long pos = 0;
      String longName = null;
      Long paxSize = null;
      byte[] h = new byte[BLOCK];
      while (pos + BLOCK <= fileSize) {
        readAt(ch, pos, h);
        if (isZero(h)) {
          break; // end-of-archive marker
        }
        checkChecksum(h, tar, pos);
        String name = longName != null ? longName : headerName(h);
        long size = paxSize != null ? paxSize : octal(h, 124, 12, tar, pos);
        char type = (char) h[156];
        long data = pos + BLOCK;
        if (data + size > fileSize) {
          throw new IOException(tar + ": tar member '" + name + "' at " + pos + " is truncated");
        }
        longName = null;
        paxSize = null;
        switch (type) {
          case 'L' -> longName = cString(readData(ch, data, size, tar));
          case 'x' -> {
            for (String[] kv : pax(readData(ch, data, size, tar), tar, pos)) {
              if (kv[0].equals("path")) {
                longName = kv[1];
              } else if (kv[0].equals("size")) {
                paxSize = Long.parseLong(kv[1]);
              }
            }
          }
          case '0', '\0', '7' -> members.add(new TarMember(name, data, size));
          default -> {} // directories, links, global headers: not disks
        }
        pos = data + (size + BLOCK - 1) / BLOCK * BLOCK;
      }
    }
    return members;
  }

  /** The member named {@code name} (also matched without a leading {@code ./}). */
  public static TarMember find(Path tar, String name) throws IOException {
    List<TarMember> all = members(tar);
    for (TarMember m : all) {
      if (m.name().equals(name) || m.name().equals("./" + name)) {
        return m;
      }
    }
    throw new java.nio.file.NoSuchFileException(
        tar.toString(),
        null,
        "no member '"
            + name
            + "' in the archive; members: "
            + String.join(", ", all.stream().map(TarMember::name).toList()));
  }

  private static String headerName(byte[] h) {
    String name = cString(h, 0, 100);
    if (ascii(h, 257, 5).equals("ustar")) {
      String prefix = cString(h, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
    }
    return name;
  }

  private static void checkChecksum(byte[] h, Path tar, long pos) throws IOException {
    long stored = octal(h, 148, 8, tar, pos);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    if (sum != stored) {
      throw new IOException(
          tar + ": not a tar archive, or corrupt: bad header checksum at offset " + pos);
    }
  }

  private static long octal(byte[] h, int off, int len, Path tar, long pos) throws IOException {
    if ((h[off] & 0x80) != 0) { // GNU base-256 for sizes over 8 GiB
      long v = h[off] & 0x7f;
      for (int i = 1; i < len; i++) {
        v = (v << 8) | (h[off + i] & 0xff);
      }
      return v;
    }
    String s = ascii(h, off, len).replace("\0", " ").strip();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IOException(tar + ": bad number '" + s + "' in the tar header at offset " + pos);
    }
  }

  private static List<String[]> pax(byte[] data, Path tar, long pos) throws IOException {
    List<String[]> records = new ArrayList<>();
    int i = 0;
    while (i < data.length && data[i] != 0) {
      int space = i;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException(tar + ": bad pax header at offset " + pos);
      }
      if (len <= space - i || i + len > data.length) {
        throw new IOException(tar + ": bad pax record length at offset " + pos);
      }
      String kv = new String(data, space + 1, i + len - space - 2, StandardCharsets.UTF_8);
      int eq = kv.indexOf('=');
      if (eq > 0) {
        records.add(new String[] {kv.substring(0, eq), kv.substring(eq + 1)});
      }
      i += len;
    }
    return records;
  }

  private static byte[] readData(FileChannel ch, long pos, long size, Path tar) throws IOException {
    if (size > 1 << 20) {
      throw new IOException(tar + ": tar extended header of " + size + " bytes is implausible");
    }
    byte[] b = new byte[(int) size];
    readAt(ch, pos, b);
    return b;
  }

  private static void readAt(FileChannel ch, long pos, byte[] dst) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(dst);
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        throw new java.io.EOFException("tar archive ends inside a header at " + pos);
      }
    }
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String cString(byte[] b) {
    return cString(b, 0, b.length);
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static String ascii(byte[] b, int off, int len) {
    return new String(b, off, len, StandardCharsets.US_ASCII);
  }
}
