package dev.intact.core.nbd.client;

import dev.intact.core.nbd.wire.BlockStatusChunk;
import dev.intact.core.nbd.wire.Command;
import dev.intact.core.nbd.wire.NbdCommandException;
import dev.intact.core.nbd.wire.NbdErrno;
import dev.intact.core.nbd.wire.NbdProtocolException;
import dev.intact.core.nbd.wire.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A request of {@link NbdClient} waiting for its reply: where read data lands, the block status
 * chunks and error received so far, and the future completed when the reply is whole.
 */
final class InFlight {
  Request request;
  final byte[] dst;
  final int dstOffset;
  final CompletableFuture<Void> done = new CompletableFuture<>();
  final List<BlockStatusChunk> status = new ArrayList<>();
  long covered;
  NbdErrno error;
  String errorMessage;

  InFlight(Request request, byte[] dst, int dstOffset) {
    this.request = request;
    this.dst = dst;
    this.dstOffset = dstOffset;
  }

  /** Where a data or hole chunk at {@code offset} lands in the request, checked. */
  int within(long offset, int n) throws NbdProtocolException {
    long rel = offset - request.offset();
    if (rel < 0 || n < 0 || rel + n > request.length()) {
      throw new NbdProtocolException(
          "read reply chunk at "
              + offset
              + " length "
              + n
              + " lies outside the request at "
              + request.offset()
              + " length "
              + request.length());
    }
    return (int) rel;
  }

  void fail(NbdErrno errno, String message) {
    if (error == null) {
      error = errno;
      errorMessage = message;
    }
  }

  void finish(String server) throws NbdProtocolException {
    Command cmd = request.command();
    if (error != null) {
      done.completeExceptionally(
          new NbdCommandException(
              server, cmd, request.offset(), request.length(), error, errorMessage));
      return;
    }
    if (cmd == Command.READ && covered != request.length()) {
      throw new NbdProtocolException(
          "read reply covered " + covered + " of " + request.length() + " bytes");
    }
    if (cmd == Command.BLOCK_STATUS && status.isEmpty()) {
      throw new NbdProtocolException("block status reply without any descriptor");
    }
    done.complete(null);
  }
}
