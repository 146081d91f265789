package dev.intact.core.bmap;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The gold image and bmap of {@code bmap.md}, and helpers to write bmap variants. */
public final class BmapFixtures {
  public static final long GOLD_SIZE = 1_049_000;
  public static final String GOLD_SHA256 =
      "31d2c5657a3825aaf6611eead0fccfe3217d413bb36f5cab54b703c5dbfcb6c6";

  private BmapFixtures() {}

  public static byte[] resource(String name) {
    try (InputStream in = BmapFixtures.class.getResourceAsStream("/bmap/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /bmap/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String name) {
    return new String(resource(name), StandardCharsets.US_ASCII);
  }

  /** Writes gold.img as {@code make_gold_img.py} does: sparse, 1,049,000 bytes. */
  public static void writeGoldImage(Path path) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.truncate(0);
      ch.write(ByteBuffer.wrap("HELLO-BMAP".getBytes(StandardCharsets.US_ASCII)), 0);
      byte[] mid = new byte[3 * 4096];
      for (int i = 0; i < mid.length; i++) {
        mid[i] = (byte) (i % 251);
      }
      ch.write(ByteBuffer.wrap(mid), 64 * 4096);
      ch.write(ByteBuffer.wrap("TAIL".getBytes(StandardCharsets.US_ASCII)), GOLD_SIZE - 4);
    }
  }

  /**
   * Replaces the file checksum of a 2.0 (or 1.3) bmap text by the right one for the edited text, so
   * that a test reaches the validation it is about.
   */
  public static byte[] reseal(String xml) {
    boolean v13 = xml.contains("<BmapFileSHA1>");
    String element = v13 ? "BmapFileSHA1" : "BmapFileChecksum";
    HashAlgorithm alg =
        Algorithms.byName(v13 ? "sha1" : between(xml, "<ChecksumType>", "</ChecksumType>"));
    String old = between(xml, "<" + element + ">", "</" + element + ">");
    String zeroed = xml.replace(old, "0".repeat(old.length()));
    String sum = alg.hash(zeroed.getBytes(StandardCharsets.US_ASCII)).toHex();
    return zeroed.replaceFirst("0".repeat(old.length()), sum).getBytes(StandardCharsets.US_ASCII);
  }

  /** The checksum {@code xml} would have if it were resealed (what a tampered file hashes to). */
  public static String resealedChecksumOf(String xml) {
    String old = between(xml, "<BmapFileChecksum>", "</BmapFileChecksum>");
    String zeroed = xml.replaceFirst(old, "0".repeat(old.length()));
    return Algorithms.byName("sha256").hash(zeroed.getBytes(StandardCharsets.US_ASCII)).toHex();
  }

  private static String between(String s, String a, String b) {
    int i = s.indexOf(a) + a.length();
    return s.substring(i, s.indexOf(b, i)).strip();
  }
}
