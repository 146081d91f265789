package dev.intact.core.nbd.server;

import dev.intact.core.nbd.server.NbdHandshake.Negotiated;
import dev.intact.core.nbd.transport.Channels;
import dev.intact.core.nbd.transport.Watchdog;
import dev.intact.core.nbd.wire.Command;
import dev.intact.core.nbd.wire.NbdCodec;
import dev.intact.core.nbd.wire.NbdErrno;
import dev.intact.core.nbd.wire.NbdProtocolException;
import dev.intact.core.nbd.wire.Request;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The server side of one connection, over any byte channel (a socket, or bytes in memory for
 * fuzzing): the handshake ({@link NbdHandshake}), then requests answered ({@link NbdAnswers}) in
 * arrival order, except that writes of {@link #SMALLEST_PIPELINED} to {@link #PIPELINED} bytes are
 * handed to {@link #WRITERS} writer threads, so that the next request's data is read from the
 * socket while earlier ones are written (and a volume tags and writes several at once). Every other
 * request waits until the writes before it are answered, so it sees them all, exactly as if
 * requests were answered one at a time; replies may come out of order, as the protocol allows (each
 * names its request). Every field of every client message is checked; a message that cannot be
 * answered within the protocol ends the session with {@link NbdProtocolException}, anything else
 * gets the protocol's error reply.
 */
public final class NbdServerSession {
  /**
   * Writes in flight per connection, each with its own buffer: two let one request's data arrive
   * while the one before it is written, and a volume overlap the tagging and data writes of both.
   */
  static final int WRITERS = 2;

  /**
   * The largest write handed to a writer thread (the usual clients' largest request), in one of the
   * process's {@link WriteBuffers}; a larger one, or one that finds no buffer free, is answered in
   * turn, in the connection's own buffer.
   */
  static final int PIPELINED = WriteBuffers.SIZE;

  /**
   * The smallest write handed to a writer thread: for small ones (4 KiB random writes) the hand-off
   * costs more than the overlap gains, so they are answered in turn.
   */
  static final int SMALLEST_PIPELINED = 64 << 10;

  private final ByteChannel ch;
  private final Runnable abort;
  private final Map<String, NbdExport> exports;
  private final ServerLimits limits;
  private final String peer;

  private byte[] buffer = new byte[0];

  /** One permit per write that may be in flight; all of them: none is. */
  private final Semaphore writeSlots = new Semaphore(WRITERS);

  /** Started at the first pipelined write, ended with the session. */
  private ExecutorService writers;

  /** Why a writer thread could not reply (the session ends with it), or null. */
  private volatile IOException replyFailure;

  /**
   * @param abort closes the channel: called when a deadline passes, so that a blocked read ends
   */
  public NbdServerSession(
      ByteChannel ch, Runnable abort, List<NbdExport> exports, ServerLimits limits, String peer) {
    this.ch = ch;
    this.abort = abort;
    this.exports = new LinkedHashMap<>();
    for (NbdExport e : exports) {
      this.exports.put(e.name(), e);
    }
    this.limits = limits;
    this.peer = peer;
  }

  /**
   * Serves until the client disconnects (returns) or breaks the protocol (throws). The channel is
   * left to the caller to close.
   */
  public void run() throws IOException {
    Negotiated negotiated;
    try (Watchdog.Armed deadline = Watchdog.arm(limits.handshakeTimeout(), abort)) {
      try {
        negotiated = new NbdHandshake(ch, exports, limits, peer).negotiate();
      } catch (ClosedChannelException e) {
        if (deadline.fired()) {
          throw new NbdProtocolException(
              peer
                  + ": handshake not finished within "
                  + limits.handshakeTimeout().toMillis()
                  + " ms");
        }
        throw e;
      }
    }
    if (negotiated != null) {
      transmission(new NbdAnswers(ch, limits, negotiated));
    }
  }

  private void transmission(NbdAnswers answers) throws IOException {
    try {
      requests(answers);
    } finally {
      // Every write in flight is answered (or has failed to) before the session ends: the caller
      // closes the channel, and the export may be closed right after.
      drain();
      if (writers != null) {
        writers.shutdown();
      }
    }
    IOException failure = replyFailure;
    if (failure != null) {
      throw failure;
    }
  }

  private void requests(NbdAnswers answers) throws IOException {
    ByteBuffer headerBuf = ByteBuffer.allocate(Request.SIZE);
    while (true) {
      headerBuf.clear();
      // Idle between requests is fine: wait for the first bytes, taking all that came with them.
      int n;
      do {
        n = ch.read(headerBuf);
      } while (n == 0);
      if (n < 0 || replyFailure != null) {
        return; // left without NBD_CMD_DISC: allowed, if rude
      }
      Request r = null;
      try {
        if (!headerBuf.hasRemaining()) {
          r = NbdCodec.decodeRequest(headerBuf.flip());
        } else {
          // A request that started arriving must finish in time. One whose header came whole has:
          // it arms no deadline (a timer task per read request, scheduled and cancelled, would wake
          // the timer's thread twice per request).
          try (Watchdog.Armed deadline = Watchdog.arm(limits.messageTimeout(), abort)) {
            try {
              Channels.readFully(ch, headerBuf, "a request header");
            } catch (ClosedChannelException e) {
              throw late(deadline, e);
            }
          }
          r = NbdCodec.decodeRequest(headerBuf.flip());
        }
        if (r.command() == Command.WRITE
            && r.length() >= SMALLEST_PIPELINED
            && r.length() <= pipelined()
            && pipelinedWrite(r, answers)) {
          continue;
        }
        // Anything else sees every write before it answered, as if answered one at a time.
        drain();
        byte[] payload = null;
        if (r.command() == Command.WRITE) {
          try (Watchdog.Armed deadline = Watchdog.arm(limits.messageTimeout(), abort)) {
            try {
              payload = writePayload(r, answers);
            } catch (ClosedChannelException e) {
              throw late(deadline, e);
            }
          }
        }
        if (r.command() == Command.DISC) {
          return;
        }
        answers.answer(r, payload);
      } catch (NbdProtocolException e) {
        throw new NbdProtocolException(peer + ": " + e.getMessage(), e);
      }
    }
  }

  /** What a read that a closed channel ended means: the deadline, or the channel's own end. */
  private IOException late(Watchdog.Armed deadline, ClosedChannelException e) {
    if (deadline.fired()) {
      return new NbdProtocolException(
          "request not received within " + limits.messageTimeout().toMillis() + " ms");
    }
    return e;
  }

  /**
   * Reads a write's data into a free buffer (waiting for one of this connection's writes in flight
   * to end first: waiting on our own writes is not the client's delay, so it is outside the
   * deadline) and hands the write to a writer thread, which answers it and gives the buffer back.
   * False, with nothing read, when the process has no buffer free: the caller answers it in turn.
   */
  private boolean pipelinedWrite(Request r, NbdAnswers answers) throws IOException {
    writeSlots.acquireUninterruptibly();
    byte[] b = WriteBuffers.take();
    if (b == null) {
      writeSlots.release();
      return false;
    }
    boolean handedOver = false;
    try {
      try (Watchdog.Armed deadline = Watchdog.arm(limits.messageTimeout(), abort)) {
        try {
          Channels.readFully(ch, ByteBuffer.wrap(b, 0, (int) r.length()), "write data");
        } catch (ClosedChannelException e) {
          throw late(deadline, e);
        }
      }
      if (writers == null) {
        writers =
            Executors.newFixedThreadPool(
                WRITERS, Thread.ofPlatform().daemon().name("nbd-write").factory());
      }
      byte[] payload = b;
      writers.execute(
          () -> {
            try {
              answers.answer(r, payload);
            } catch (IOException e) {
              replyFailure = e;
              abort.run(); // the session's thread may be waiting for the client: end that wait
            } catch (RuntimeException e) {
              replyFailure = new IOException("internal error answering a write", e);
              abort.run();
            } finally {
              WriteBuffers.give(payload);
              writeSlots.release();
            }
          });
      handedOver = true;
      return true;
    } finally {
      if (!handedOver) {
        WriteBuffers.give(b);
        writeSlots.release();
      }
    }
  }

  /** The largest write handed to a writer thread: no larger than any write accepted. */
  private int pipelined() {
    return Math.min(PIPELINED, limits.maxPayload());
  }

  /** Waits until no write is in flight. */
  private void drain() {
    writeSlots.acquireUninterruptibly(WRITERS);
    writeSlots.release(WRITERS);
  }

  /** Reads a write's payload, or ends the session if it is larger than any write we accept. */
  private byte[] writePayload(Request r, NbdAnswers answers) throws IOException {
    if (r.length() > limits.maxPayload()) {
      // We cannot skip gigabytes of data to stay in step: reply, then hang up.
      answers.error(
          r,
          NbdErrno.EOVERFLOW,
          "write of " + r.length() + " bytes exceeds the maximum " + limits.maxPayload());
      throw new NbdProtocolException(
          "NBD_CMD_WRITE of " + r.length() + " bytes exceeds the maximum " + limits.maxPayload());
    }
    byte[] b = buffer((int) r.length());
    Channels.readFully(ch, ByteBuffer.wrap(b, 0, (int) r.length()), "write data");
    return b;
  }

  private byte[] buffer(int n) {
    if (buffer.length < n) {
      buffer = new byte[Math.max(n, Math.min(limits.maxPayload(), 1 << 20))];
    }
    return buffer;
  }
}
