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
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * Inputs backed by the checksum engine: raw files and block devices as local images (holes cost no
 * reads), qcow2 and other qemu formats, OVA members and {@code nbd://} URIs through {@link
 * ImageOpener} (holes and zero extents from NBD block status), standard input as a stream.
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
      return new StreamSource(name);
    }
    boolean fileView =
        type instanceof WholeStream && image.format() == null && image.member() == null;
    OpenedImage opened = ImageOpener.open(name, fileView ? image.withFormat("raw") : image);
    // blksum and imageio's client.checksum read a raw file through qemu-nbd, which presents it
    // padded to a whole 512-byte sector: the guest's disk, as they see it.
    boolean readDirectly = opened.delegate() instanceof LocalImage;
    return new ImageSource(
        name,
        type instanceof BlockHashList && readDirectly ? SectorPaddedImage.of(opened) : opened);
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
