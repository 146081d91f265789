package dev.intact.core.flash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Images compressed by the real tools decode in-process; damage is fatal with the offset. */
class CompressedSourceTest {
  @TempDir Path dir;

  private byte[] image() {
    // Compressible but not trivial: runs of random bytes and zeros.
    byte[] b = new byte[3 << 20];
    Random r = new Random(7);
    for (int i = 0; i < b.length; i += 65536) {
      if ((i / 65536) % 3 != 2) {
        byte[] chunk = new byte[1024 + r.nextInt(8192)];
        r.nextBytes(chunk);
        System.arraycopy(chunk, 0, b, i, Math.min(chunk.length, b.length - i));
      }
    }
    return b;
  }

  private int files;

  private Path compress(byte[] image, String tool) throws Exception {
    Path raw = dir.resolve("image" + files++ + ".img");
    Files.write(raw, image);
    return Compressors.compress(tool, raw);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "xz", "zstd", "bzip2"})
  void decodesWhatTheToolWrote(String tool) throws Exception {
    byte[] image = image();
    Path file = compress(image, tool);
    ImageSource src = ImageSource.file(file);
    assertThat(src.compression().displayName()).isEqualTo(tool);
    assertThat(decode(src)).isEqualTo(image);
    // Standard input: told by the magic number.
    ImageSource stdin = ImageSource.stream("-", new ByteArrayInputStream(Files.readAllBytes(file)));
    assertThat(stdin.compression()).isEqualTo(src.compression());
    assertThat(decode(stdin)).isEqualTo(image);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "xz", "zstd", "bzip2"})
  void concatenatedStreamsDecodeWhole(String tool) throws Exception {
    byte[] image = image();
    byte[] a = Files.readAllBytes(compress(Arrays.copyOf(image, 1 << 20), tool));
    byte[] b = Files.readAllBytes(compress(Arrays.copyOfRange(image, 1 << 20, image.length), tool));
    Path both = dir.resolve("both.img" + Compressors.suffix(tool));
    ByteArrayOutputStream cat = new ByteArrayOutputStream();
    cat.write(a);
    cat.write(b);
    Files.write(both, cat.toByteArray());
    assertThat(decode(ImageSource.file(both))).isEqualTo(image);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "xz", "zstd", "bzip2"})
  void garbageAfterTheLastStreamIsFatal(String tool) throws Exception {
    byte[] image = image();
    Path file = compress(image, tool);
    Path tail = dir.resolve("tail.img" + Compressors.suffix(tool));
    ByteArrayOutputStream cat = new ByteArrayOutputStream();
    cat.write(Files.readAllBytes(file));
    cat.write("garbage\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Files.write(tail, cat.toByteArray());
    assertThatThrownBy(() -> decode(ImageSource.file(tail)))
        .as("%s with bytes appended", tool)
        .isInstanceOf(SourceReadException.class)
        .hasMessageStartingWith(tail + ": ");
    if (tool.equals("gzip")) {
      // gzip -t: garbage is exit 2; zeros after the last member (tape padding) are accepted.
      assertThat(Compressors.exitOf("gzip", "-t", tail.toString())).isEqualTo(2);
      Path zeros = dir.resolve("zeros.img.gz");
      Files.write(zeros, Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) + 1000));
      assertThat(Compressors.exitOf("gzip", "-t", zeros.toString())).isZero();
      assertThat(decode(ImageSource.file(zeros))).isEqualTo(image);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "xz", "zstd", "bzip2"})
  void truncatedStreamIsFatalWithTheOffsetReached(String tool) throws Exception {
    Path file = compress(image(), tool);
    byte[] whole = Files.readAllBytes(file);
    for (int keep : new int[] {whole.length / 2, whole.length - 1}) {
      Path cut = dir.resolve("cut" + keep + ".img" + Compressors.suffix(tool));
      Files.write(cut, Arrays.copyOf(whole, keep));
      ImageSource src = ImageSource.file(cut);
      assertThatThrownBy(() -> decode(src))
          .as(tool + " cut to " + keep + " of " + whole.length + " bytes")
          .isInstanceOf(SourceReadException.class)
          .hasMessageStartingWith(cut + ": ")
          .hasMessageContaining(tool + " stream")
          .hasMessageMatching("(?s).* at image byte \\d+ \\(compressed byte \\d+\\)$")
          .satisfies(
              e -> {
                SourceReadException s = (SourceReadException) e;
                assertThat(s.compressedOffset().orElseThrow()).isBetween(1L, (long) keep);
              });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "xz", "zstd", "bzip2"})
  void corruptStreamIsFatal(String tool) throws Exception {
    Path file = compress(image(), tool);
    byte[] bytes = Files.readAllBytes(file);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
      bytes[i] ^= 0x55;
    }
    Files.write(file, bytes);
    assertThatThrownBy(() -> decode(ImageSource.file(file)))
        .isInstanceOf(SourceReadException.class)
        .hasMessageContaining(tool + " stream");
  }

  @ParameterizedTest
  @ValueSource(strings = {".gz", ".xz", ".zst", ".bz2"})
  void aSuffixThatLiesIsRefused(String suffix) throws Exception {
    Path file = dir.resolve("image.img" + suffix);
    Files.write(file, new byte[4096]);
    assertThatThrownBy(() -> ImageSource.file(file))
        .isInstanceOf(SourceReadException.class)
        .hasMessageContaining("is named like");
  }

  private static byte[] decode(ImageSource src) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SourceStream in = src.open()) {
      byte[] buf = new byte[100_000];
      int n;
      while ((n = in.read(buf, 0, buf.length)) >= 0) {
        out.write(buf, 0, n);
      }
    }
    return out.toByteArray();
  }
}
