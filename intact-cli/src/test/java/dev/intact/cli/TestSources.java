package dev.intact.cli;

import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.WholeStream;
import dev.intact.core.hash.Hasher;
import dev.intact.core.io.ByteRange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/** Whole-stream sums by plain reading, for the CLI tests until the checksum engine is merged. */
final class TestSources {
  static final SourcesFactory FACTORY = (threads, stdin) -> name -> open(name, stdin);

  private TestSources() {}

  private static Source open(String name, InputStream stdin) throws IOException {
    boolean isStdin = name.equals("-");
    InputStream in = isStdin ? stdin : Files.newInputStream(Path.of(name));
    OptionalLong size = isStdin ? OptionalLong.empty() : OptionalLong.of(Files.size(Path.of(name)));
    return new Source() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public OptionalLong size() {
        return size;
      }

      @Override
      public Checksum sum(ChecksumType type, ByteRange range, LongConsumer progress)
          throws IOException {
        Hasher h = ((WholeStream) type).algorithm().newHasher();
        long start = range == null ? 0 : range.start();
        long length = range == null ? Long.MAX_VALUE : range.length();
        in.skipNBytes(start);
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while (total < length
            && (n = in.read(buf, 0, (int) Math.min(buf.length, length - total))) > 0) {
          h.update(buf, 0, n);
          total += n;
          progress.accept(n);
        }
        return new Checksum(type, h.finish(), total);
      }

      @Override
      public void close() throws IOException {
        if (!isStdin) {
          in.close();
        }
      }
    };
  }
}
