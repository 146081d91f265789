package dev.intact.client;

import dev.intact.core.format.ImageCreator;
import dev.intact.core.image.ByteRange;
import dev.intact.core.image.Image;
import dev.intact.core.image.ImageStamp;
import dev.intact.core.image.LocalImage;
import dev.intact.core.image.SourceChangedException;
import dev.intact.core.image.WritableImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.HttpClient;

/**
 * Verified upload, download and copy of raw images over a daemon's imageio-compatible API.
 *
 * <p>Each method connects the two {@link Endpoint}s and runs one {@link Transfer}: workers send
 * chunks of whole blocks ({@link Sender}), recording the source's block digests; its block-hash
 * list is compared with a checksum job the daemon runs on its storage ({@link Verifier}); on a
 * mismatch, {@code --repair} asks the daemon for its block digests, resends only the ranges that
 * differ ({@link Repairer}) and verifies again.
 */
public final class TransferClient implements AutoCloseable {
  private final HttpClient http;

  public TransferClient(SSLContext tls) throws IOException {
    this.http = TransferHttp.start(tls);
  }

  /** Uploads a local file or device to the first reachable of {@code destination}'s URLs. */
  public TransferResult upload(Path file, List<URI> destination, TransferOptions options)
      throws IOException {
    try (LocalImage image = LocalImage.openRead(file)) {
      return upload((Image) image, destination, options);
    }
  }

  /**
   * Uploads an image the caller opened and closes: a qcow2, an OVA member or an NBD export through
   * {@code ImageOpener}, so the guest's disk is sent and verified (a raw file and a qcow2 of one
   * disk upload identically).
   */
  public TransferResult upload(Image source, List<URI> destination, TransferOptions options)
      throws IOException {
    ImageClient dst = ImageClient.connect(http, destination);
    Endpoint<Image> from = Endpoint.local(source);
    Endpoint<WritableImage> to = Endpoint.remote(dst);
    checkDestination(from, to, options);
    Optional<ImageStamp> before = source.stamp();
    TransferResult r = new Transfer(from, to, options, dst.capabilities().maxWriters()).run();
    // The inline checksum proves the bytes sent arrived, not that they are the file: a file that
    // changed behind the reader may have been sent half old, half new.
    if (before.isPresent()) {
      Optional<String> changes = before.get().changesIn(source.stamp().orElseThrow());
      if (changes.isPresent()) {
        throw new SourceChangedException(source.name(), changes.get());
      }
    }
    return r;
  }

  /**
   * Downloads an image into a new local file, read back after the flush (O_DIRECT, from the very
   * inode written) and checked like the source. The file is removed again if the transfer or its
   * verification fails, so a complete-looking file is always a verified one.
   */
  public TransferResult download(List<URI> source, Path file, TransferOptions options)
      throws IOException {
    checkDownload(options);
    ImageClient src = ImageClient.connect(http, source);
    Endpoint<WritableImage> from = Endpoint.remote(src);
    // Created before the try: a file that already exists is refused, never removed.
    LocalImage out = LocalImage.create(file, from.image().size());
    boolean done = false;
    try (out) {
      // Read back from the inode written (LocalImage reopens its own descriptor), as any sink is.
      TransferResult r = downloadInto(from, out, options);
      done = true;
      return r;
    } finally {
      if (!done) {
        Files.deleteIfExists(file);
      }
    }
  }

  /**
   * Downloads an image into a new local file in {@code format}: {@code raw} as {@link
   * #download(List, Path, TransferOptions)} does, or {@code qcow2} (created by {@code qemu-img
   * create} and written through a read-write qemu-nbd, zero runs left unallocated). A qcow2 is read
   * back through qemu-nbd after the flush and verified too. The file is removed again if anything
   * fails, so a complete-looking file is always a verified one.
   */
  public TransferResult download(
      List<URI> source, Path file, String format, TransferOptions options) throws IOException {
    if (format.equals("raw")) {
      return download(source, file, options);
    }
    checkDownload(options);
    ImageClient src = ImageClient.connect(http, source);
    Endpoint<WritableImage> from = Endpoint.remote(src);
    // Created before the try: a file that already exists is refused, never removed.
    WritableImage out = ImageCreator.create(file, format, from.image().size());
    boolean done = false;
    try {
      TransferResult r;
      try (out) {
        r = downloadInto(from, out, options);
      }
      done = true;
      return r;
    } finally {
      if (!done) {
        Files.deleteIfExists(file);
      }
    }
  }

  /**
   * Downloads an image into {@code sink}, which the caller created, owns and removes on failure;
   * with verification on, the sink is read back after the flush and checked as well.
   */
  public TransferResult download(List<URI> source, WritableImage sink, TransferOptions options)
      throws IOException {
    checkDownload(options);
    return downloadInto(Endpoint.remote(ImageClient.connect(http, source)), sink, options);
  }

  private static void checkDownload(TransferOptions options) {
    if (options.verifyOnly()) {
      throw new IllegalArgumentException(
          "--verify-only applies to upload and copy; a download always writes a new file");
    }
  }

  private static TransferResult downloadInto(
      Endpoint<WritableImage> from, WritableImage sink, TransferOptions options)
      throws IOException {
    long need = options.range().map(ByteRange::end).orElse(from.image().size());
    if (sink.size() < need) {
      throw new IOException(
          sink.name() + " holds " + sink.size() + " bytes; the transfer needs " + need);
    }
    ImageClient src = from.daemon().orElseThrow();
    TransferResult r =
        new Transfer(from, Endpoint.local(sink), options, src.capabilities().maxReaders()).run();
    if (r.verified()) {
      ReadBack.verify(sink, r);
    }
    return r;
  }

  /** Copies an image from one daemon to another, verifying both the read and the write. */
  public TransferResult copy(List<URI> source, List<URI> destination, TransferOptions options)
      throws IOException {
    ImageClient src = ImageClient.connect(http, source);
    ImageClient dst = ImageClient.connect(http, destination);
    Endpoint<WritableImage> from = Endpoint.remote(src);
    Endpoint<WritableImage> to = Endpoint.remote(dst);
    checkDestination(from, to, options);
    int limit = Math.min(src.capabilities().maxReaders(), dst.capabilities().maxWriters());
    return new Transfer(from, to, options, limit).run();
  }

  /**
   * A destination must take writes, unless a verify-only run will not send any, and may be larger
   * than the source (padding), never smaller. A read-only ticket is refused here, from what OPTIONS
   * said: a PUT would be refused too, but the daemon answers before reading the body and closes the
   * connection, so the client may see only a broken pipe instead of the reason.
   */
  private static void checkDestination(
      Endpoint<? extends Image> from, Endpoint<WritableImage> to, TransferOptions o)
      throws IOException {
    ImageClient dst = to.daemon().orElseThrow();
    if (!dst.capabilities().writable() && !(o.verifyOnly() && !o.repair())) {
      throw new ReadOnlyTicketException(dst.describe(), dst.capabilities().allowed());
    }
    long need = o.range().map(ByteRange::end).orElse(from.image().size());
    long has = to.image().size();
    if (has < need) {
      throw new IOException(
          dst.describe() + " holds " + has + " bytes; the transfer needs " + need);
    }
  }

  /** Closes the pooled connections. */
  @Override
  public void close() {
    TransferHttp.stop(http);
  }
}
