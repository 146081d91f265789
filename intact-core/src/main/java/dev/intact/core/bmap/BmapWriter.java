package dev.intact.core.bmap;

import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.HashCode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a bmap in format 2.0, laid out as bmaptool 3.x lays it out (same comments, padding and
 * number formats), so that the two tools' files for one image differ only where the images do. The
 * {@code BmapFileChecksum} is computed over the final bytes with its own value as ASCII zeros.
 */
public final class BmapWriter {

  private static final String HEADER =
      """
      <?xml version="1.0" ?>
      <!-- This file contains the block map for an image file, which is basically
           a list of useful (mapped) block numbers in the image file. In other words,
           it lists only those blocks which contain data (boot sector, partition
           table, file-system metadata, files, directories, extents, etc). These
           blocks have to be copied to the target device. The other blocks do not
           contain any useful data and do not have to be copied to the target
           device.

           The block map an optimization which allows to copy or flash the image to
           the image quicker than copying of flashing the entire image. This is
           because with bmap less data is copied: <MappedBlocksCount> blocks instead
           of <BlocksCount> blocks.

           Besides the machine-readable data, this file contains useful commentaries
           which contain human-readable information like image size, percentage of
           mapped data, etc.

           The 'version' attribute is the block map file format version in the
           'major.minor' format. The version major number is increased whenever an
           incompatible block map format change is made. The minor number changes
           in case of minor backward-compatible changes. -->

      """;

  private BmapWriter() {}

  /** The file's bytes. The bmap's version and file checksum are ignored: this writes 2.0. */
  public static byte[] toBytes(Bmap bmap) {
    HashAlgorithm alg = bmap.checksumAlgorithm();
    String imageHuman = humanSize(bmap.imageSize());
    StringBuilder sb = new StringBuilder(HEADER);
    sb.append("<bmap version=\"").append(BmapVersion.CURRENT).append("\">\n");
    sb.append("    <!-- Image size in bytes: ").append(imageHuman).append(" -->\n");
    sb.append("    <ImageSize> ").append(bmap.imageSize()).append(" </ImageSize>\n\n");
    sb.append("    <!-- Size of a block in bytes -->\n");
    sb.append("    <BlockSize> ").append(bmap.blockSize()).append(" </BlockSize>\n\n");
    sb.append("    <!-- Count of blocks in the image file -->\n");
    sb.append("    <BlocksCount> ").append(bmap.blocksCount()).append(" </BlocksCount>\n\n");

    // bmaptool reserves blanks for these two values and overwrites them once it knows them; the
    // leftover blanks are part of its layout, so they are reproduced the same way.
    sb.append("    <!-- Count of mapped blocks: ");
    int mappedHumanAt = sb.length();
    sb.append(" ".repeat(imageHuman.length())).append(" or ").append(" ".repeat(6));
    sb.append("   -->\n");
    sb.append("    <MappedBlocksCount> ");
    int mappedCountAt = sb.length();
    sb.append(" ".repeat(Long.toString(bmap.blocksCount()).length()));
    sb.append(" </MappedBlocksCount>\n\n");
    sb.append("    <!-- Type of checksum used in this file -->\n");
    sb.append("    <ChecksumType> ").append(alg.name()).append(" </ChecksumType>\n\n");
    sb.append("    <!-- The checksum of this bmap file. When it is calculated, the value of\n");
    sb.append("         the checksum has be zero (all ASCII \"0\" symbols).  -->\n");
    sb.append("    <BmapFileChecksum> ");
    int checksumAt = sb.length();
    sb.append("0".repeat(2 * alg.digestLength())).append(" </BmapFileChecksum>\n\n");
    sb.append("    <!-- The block map which consists of elements which may either be a\n");
    sb.append("         range of blocks or a single block. The 'chksum' attribute\n");
    sb.append("         (if present) is the checksum of this blocks range. -->\n");
    sb.append("    <BlockMap>\n");
    for (BmapRange r : bmap.ranges()) {
      sb.append("        <Range");
      r.checksum().ifPresent(c -> sb.append(" chksum=\"").append(c.toHex()).append('"'));
      sb.append("> ").append(r.blocksText()).append(" </Range>\n");
    }
    sb.append("    </BlockMap>\n");
    sb.append("</bmap>\n");

    long mappedBytes = bmap.mappedBlocksCount() * bmap.blockSize();
    double percent =
        bmap.blocksCount() == 0 ? 0.0 : (bmap.mappedBlocksCount() * 100.0) / bmap.blocksCount();
    overwrite(sb, mappedHumanAt, humanSize(mappedBytes) + " or " + oneDecimal(percent) + "%");
    overwrite(sb, mappedCountAt, Long.toString(bmap.mappedBlocksCount()));

    byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
    HashCode fileChecksum = alg.hash(bytes);
    byte[] hex = fileChecksum.toHex().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(hex, 0, bytes, checksumAt, hex.length);
    return bytes;
  }

  /** Writes the bmap to {@code file} atomically (a temporary file renamed into place). */
  public static void write(Bmap bmap, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.write(tmp, toBytes(bmap));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void overwrite(StringBuilder sb, int at, String value) {
    for (int i = 0; i < value.length(); i++) {
      if (at + i < sb.length()) {
        sb.setCharAt(at + i, value.charAt(i));
      } else {
        sb.append(value.charAt(i));
      }
    }
  }

  /** bmaptool's {@code human_size}: bytes below 512, else KiB…TiB with one decimal. */
  static String humanSize(long size) {
    if (size == 1) {
      return "1 byte";
    }
    if (size < 512) {
      return size + " bytes";
    }
    double s = size;
    for (String unit : new String[] {"KiB", "MiB", "GiB", "TiB"}) {
      s /= 1024.0;
      if (s < 1024) {
        return oneDecimal(s) + " " + unit;
      }
    }
    return oneDecimal(s) + " EiB";
  }

  /** Python's {@code "%.1f"}: the exact binary value rounded half-even. */
  static String oneDecimal(double v) {
    return new BigDecimal(v).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
  }
}
