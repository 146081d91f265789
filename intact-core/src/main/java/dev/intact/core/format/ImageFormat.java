package dev.intact.core.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Recognises disk image formats by their magic, as qemu's probing does, so a raw file is read
 * directly and anything else goes through qemu-nbd. Names are qemu's driver names.
 */
public final class ImageFormat {
  private ImageFormat() {}

  /** The format of the bytes at {@code offset} of {@code file}: qemu's driver name, or "raw". */
  public static String detect(Path file, long offset) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(512);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {}
    }
    return detect(b.array(), b.position());
  }

  /**
   * The format of an image whose first {@code n} bytes are {@code h}: as {@link #detect(Path,
   * long)}.
   */
  public static String detect(byte[] h, int n) {
    if (startsWith(h, n, 0, new byte[] {'Q', 'F', 'I', (byte) 0xfb})) {
      return "qcow2"; // qcow version 1 has the same magic; qemu-nbd tells them apart
    }
    if (startsWith(h, n, 0, "QED\0".getBytes(StandardCharsets.US_ASCII))) {
      return "qed";
    }
    if (startsWith(h, n, 0, "KDMV".getBytes(StandardCharsets.US_ASCII))
        || startsWith(h, n, 0, "# Disk DescriptorFile".getBytes(StandardCharsets.US_ASCII))) {
      return "vmdk";
    }
    if (startsWith(h, n, 0, "vhdxfile".getBytes(StandardCharsets.US_ASCII))) {
      return "vhdx";
    }
    if (startsWith(h, n, 0, "conectix".getBytes(StandardCharsets.US_ASCII))) {
      return "vpc";
    }
    if (startsWith(h, n, 0x40, new byte[] {0x7f, 0x10, (byte) 0xda, (byte) 0xbe})) {
      return "vdi";
    }
    if (startsWith(h, n, 0, new byte[] {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe})) {
      return "luks";
    }
    return "raw";
  }

  private static boolean startsWith(byte[] h, int n, int at, byte[] magic) {
    if (at + magic.length > n) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (h[at + i] != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
