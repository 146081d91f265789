package dev.intact.core.flash;

import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * How an image file is compressed, and the maintained decoder for it. Every decoder reads
 * concatenated streams (as {@code gzip -d}, {@code xz -d}, {@code zstd -d}, {@code bzip2 -d} do)
 * and reports a truncated or corrupt stream, and bytes after the last stream that are not padding,
 * as an {@link IOException}.
 */
// Its fields are never written after construction: List.of and arrays no method hands out.
@SuppressWarnings("ImmutableEnumChecker")
public enum Compression {
  NONE(List.of(), new byte[0]),
  GZIP(List.of(".gz", ".gzip"), new byte[] {0x1f, (byte) 0x8b, 8}),
  XZ(List.of(".xz"), new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}),
  ZSTD(List.of(".zst", ".zstd"), new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}),
  BZIP2(List.of(".bz2"), new byte[] {'B', 'Z', 'h'});

  /** Bytes {@link #sniff} needs. */
  public static final int MAGIC_LENGTH = 6;

  private final List<String> suffixes;
  private final byte[] magic;

  Compression(List<String> suffixes, byte[] magic) {
    this.suffixes = suffixes;
    this.magic = magic;
  }

  public List<String> suffixes() {
    return suffixes;
  }

  /** The compression a file name's suffix announces, or {@link #NONE}. */
  public static Compression ofFileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (Compression c : values()) {
      for (String s : c.suffixes) {
        if (lower.endsWith(s)) {
          return c;
        }
      }
    }
    return NONE;
  }

  /** The compression whose magic number starts {@code head}, or {@link #NONE}. */
  public static Compression sniff(byte[] head, int length) {
    for (Compression c : values()) {
      if (c != NONE && c.magic.length <= length) {
        boolean match = true;
        for (int i = 0; i < c.magic.length && match; i++) {
          match = head[i] == c.magic[i];
        }
        // "BZh" is followed by the block size digit 1-9.
        if (match && c == BZIP2) {
          match = length > 3 && head[3] >= '1' && head[3] <= '9';
        }
        if (match) {
          return c;
        }
      }
    }
    return NONE;
  }

  /** True when {@code head} starts with this compression's magic number. */
  public boolean matches(byte[] head, int length) {
    return this == NONE || sniff(head, length) == this;
  }

  /** A decoder reading this compression from {@code compressed}. */
  public InputStream decoder(InputStream compressed) throws IOException {
    return switch (this) {
      case NONE -> compressed;
      case GZIP -> new GzipMembersInputStream(compressed);
      case XZ -> new XZInputStream(compressed);
      case ZSTD -> {
        ZstdInputStream z = new ZstdInputStream(compressed);
        z.setContinuous(false); // a stream that ends inside a frame is an error, not an EOF
        yield z;
      }
      case BZIP2 -> new BZip2CompressorInputStream(compressed, true);
    };
  }

  /** The name users know the format by. */
  public String displayName() {
    return switch (this) {
      case NONE -> "raw";
      case GZIP -> "gzip";
      case XZ -> "xz";
      case ZSTD -> "zstd";
      case BZIP2 -> "bzip2";
    };
  }
}
