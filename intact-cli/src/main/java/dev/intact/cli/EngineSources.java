package dev.intact.cli;

import dev.intact.core.checksum.BlockHashList;
import dev.intact.core.checksum.Checksum;
import dev.intact.core.checksum.ChecksumEngine;
import dev.intact.core.checksum.ChecksumType;
import dev.intact.core.checksum.WholeStream;
import dev.intact.core.format.ImageOpener;
import dev.intact.core.format.OpenedImage;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import dev.intact.core.image.LocalImage;
import dev.intact.core.image.SectorPaddedImage;
import dev.intact.core.nbd.client.NbdUri;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * Inputs backed by the checksum engine: raw files and block devices as local images (holes cost no
 * reads), qcow2 and other qemu formats, OVA members and {@code nbd://} URIs through {@link
 * ImageOpener} (holes and zero extents from NBD block status); standard input, pipes, fifos,
 * character devices and files whose size the kernel does not report ({@code /proc}) as streams,
 * read to their end as {@code sha256sum} reads them ({@code /dev/zero} runs until interrupted).
 *
 * <p>Which bytes are summed: block-hash lists describe the guest's disk, as {@code blksum} and
 * ovirt-imageio do, so a raw and a qcow2 copy of one disk agree; whole-stream algorithms describe
 * the file's own bytes, as {@code sha256sum} does (so {@code -c} of a published SHA256SUMS of a
 * qcow2 download works), unless {@code --format} or {@code --member} asks for the guest view. A raw
 * file's guest view is the file padded with zeros to a multiple of 512 bytes, as qemu presents it
 * to {@code blksum FILE} and imageio's {@code client.checksum}; standard input is summed as it
 * comes, as {@code blksum < FILE} does.
 */
final class EngineSources implements Sources {
  private final ChecksumEngine engine;
  private final InputStream stdin;
  private final ImageOpener.Options image;

  EngineSources(int threads, InputStream stdin, ImageOpener.Options image) {
    this.engine = ChecksumEngine.withThreads(threads);
    this.stdin = stdin;
    this.image = image;
  }

  @Override
  public Source open(String name, ChecksumType type) throws IOException {
    if (name.equals("-")) {
      return new StreamSource(name, stdin, false);
    }
    boolean fileView =
        type instanceof WholeStream && image.format() == null && image.member() == null;
    ImageOpener.Options options = fileView ? image.withFormat("raw") : image;
    if (NbdUri.isNbdUri(name)) {
      return new ImageSource(name, ImageOpener.open(name, options));
    }
    Path path = FileNames.toPath(name);
    return switch (InputKind.of(path, name)) {
      // The file's own bytes need no probing (which opens and reads the file once more); a small
      // regular file needs no FFM either (SmallFileImage: start-up).
      case IMAGE -> {
        if (fileView) {
          yield new ImageSource(
              name,
              SmallFileImage.fits(path)
                  ? SmallFileImage.openRead(path)
                  : LocalImage.openRead(path));
        }
        if (image.format() == null
            && image.member() == null
            && SmallFileImage.fits(path)
            && ImageOpener.formatOf(path).equals("raw")) {
          // A small raw file's guest view needs no FFM either: its holes are read, and their
          // blocks' digests are the zero digests a hole would have been given.
          yield new ImageSource(name, SectorPaddedImage.of(SmallFileImage.openRead(path, name)));
        }
        OpenedImage opened = ImageOpener.open(path, name, options);
        // blksum and imageio's client.checksum read a raw file through qemu-nbd, which presents
        // it padded to a whole 512-byte sector: the guest's disk, as they see it.
        yield new ImageSource(
            name,
            type instanceof BlockHashList && "raw".equals(opened.format())
                ? SectorPaddedImage.of(opened)
                : opened);
      }
      case STREAM -> {
        if (image.member() != null || (image.format() != null && !image.format().equals("raw"))) {
          throw new IllegalArgumentException(
              name + " " + InputKind.STREAM_WHY + "; --format and --member need a file or device");
        }
        yield new StreamSource(name, Files.newInputStream(path), true);
      }
    };
  }

  private final class ImageSource implements Source {
    private final String name;
    private final Image image;

    ImageSource(String name, Image image) {
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

  /** Standard input, a pipe, a character device or a file whose size the kernel does not know. */
  private final class StreamSource implements Source {
    private final String name;
    private final InputStream in;
    private final boolean owned;

    StreamSource(String name, InputStream in, boolean owned) {
      this.name = name;
      this.in = in;
      this.owned = owned;
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
      return engine.compute(in, type, progress::accept);
    }

    @Override
    public void close() throws IOException {
      if (owned) { // standard input belongs to the process
        in.close();
      }
    }
  }
}
