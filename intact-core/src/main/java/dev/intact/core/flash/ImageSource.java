package dev.intact.core.flash;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Where the image comes from: a file (raw or compressed) or standard input. A file can be opened
 * again to re-read a range (a raw file seeks; a compressed one is decoded again up to the range);
 * standard input can be read once only.
 */
public interface ImageSource {

  /** Name for messages ({@code -} is standard input). */
  String name();

  Compression compression();

  /** The image size when known without decoding it (a raw file). */
  OptionalLong knownSize();

  /** True when {@link #open} may be called more than once. */
  boolean reopenable();

  /**
   * The image's bytes from byte 0.
   *
   * @throws SourceNotReopenableException on a second call for a source that can be read once only
   */
  SourceStream open() throws IOException;

  /** A file, whose compression is told by its suffix or, failing that, by its magic number. */
  static ImageSource file(Path path) throws IOException {
    Compression bySuffix = Compression.ofFileName(path.getFileName().toString());
    byte[] head = new byte[Compression.MAGIC_LENGTH];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, head.length);
    }
    Compression compression;
    if (bySuffix != Compression.NONE) {
      if (!bySuffix.matches(head, n)) {
        throw new SourceReadException(
            path.toString(),
            0,
            OptionalLong.of(0),
            "is named like " + bySuffix.displayName() + " data but does not start like it",
            null);
      }
      compression = bySuffix;
    } else {
      compression = Compression.sniff(head, n);
    }
    return new FileSource(path, compression);
  }

  /** Standard input (or any stream read once), its compression told by its magic number. */
  static ImageSource stream(String name, InputStream in) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 20);
    buffered.mark(Compression.MAGIC_LENGTH);
    byte[] head = buffered.readNBytes(Compression.MAGIC_LENGTH);
    buffered.reset();
    return new OnceSource(name, Compression.sniff(head, head.length), buffered);
  }

  /** A file, opened anew for each pass. */
  record FileSource(Path path, Compression compression) implements ImageSource {
    @Override
    public String name() {
      return path.toString();
    }

    @Override
    public OptionalLong knownSize() {
      try {
        return compression == Compression.NONE
            ? OptionalLong.of(Files.size(path))
            : OptionalLong.empty();
      } catch (IOException e) {
        return OptionalLong.empty();
      }
    }

    @Override
    public boolean reopenable() {
      return true;
    }

    @Override
    public SourceStream open() throws IOException {
      if (compression == Compression.NONE) {
        return SourceStream.open(name(), compression, new FileSourceInputStream(path));
      }
      return SourceStream.open(
          name(), compression, new BufferedInputStream(Files.newInputStream(path), 256 * 1024));
    }
  }

  /** A stream that can be read once. */
  final class OnceSource implements ImageSource {
    private final String name;
    private final Compression compression;
    private InputStream in;

    OnceSource(String name, Compression compression, InputStream in) {
      this.name = name;
      this.compression = compression;
      this.in = in;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Compression compression() {
      return compression;
    }

    @Override
    public OptionalLong knownSize() {
      return OptionalLong.empty();
    }

    @Override
    public boolean reopenable() {
      return false;
    }

    @Override
    public synchronized SourceStream open() throws IOException {
      if (in == null) {
        throw new SourceNotReopenableException(name);
      }
      InputStream once = in;
      in = null;
      return SourceStream.open(name, compression, once);
    }
  }
}
