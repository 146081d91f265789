package dev.intact.cli;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.io.ByteRange;
import dev.intact.core.io.LocalImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * Inputs backed by the checksum engine: files and block devices as {@link LocalImage}s (holes cost
 * no reads), standard input as a stream.
 */
final class EngineSources implements Sources {
  private final ChecksumEngine engine;
  private final InputStream stdin;

  EngineSources(int threads, InputStream stdin) {
    this.engine = ChecksumEngine.withThreads(threads);
    this.stdin = stdin;
  }

  @Override
  public Source open(String name) throws IOException {
    return name.equals("-")
        ? new StreamSource(name)
        : new ImageSource(name, LocalImage.openRead(Path.of(name)));
  }

  private final class ImageSource implements Source {
    private final String name;
    private final LocalImage image;

    ImageSource(String name, LocalImage image) {
      this.name = name;
      this.image = image;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public OptionalLong size() throws IOException {
      return OptionalLong.of(image.size());
    }

    @Override
    public Checksum sum(ChecksumType type, ByteRange range, LongConsumer progress)
        throws IOException {
      ByteRange r = range != null ? range : ByteRange.whole(image.size());
      return engine.compute(image, type, r, progress::accept);
    }

    @Override
    public void close() throws IOException {
      image.close();
    }
  }

  private final class StreamSource implements Source {
    private final String name;

    StreamSource(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public OptionalLong size() {
      return OptionalLong.empty();
    }

    @Override
    public Checksum sum(ChecksumType type, ByteRange range, LongConsumer progress)
        throws IOException {
      if (range != null) {
        throw new IllegalArgumentException("--range needs a file or device, not a stream");
      }
      return engine.compute(stdin, type, progress::accept);
    }

    @Override
    public void close() {
      // standard input belongs to the process
    }
  }
}
