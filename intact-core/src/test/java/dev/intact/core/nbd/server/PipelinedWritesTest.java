package dev.intact.core.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intact.core.image.ForwardingWritableImage;
import dev.intact.core.image.WritableImage;
import dev.intact.core.nbd.client.NbdClientTest;
import dev.intact.core.nbd.wire.Command;
import dev.intact.core.nbd.wire.Nbd;
import dev.intact.core.nbd.wire.NbdCodec;
import dev.intact.core.nbd.wire.ReplyHeader;
import dev.intact.core.nbd.wire.Request;
import dev.intact.core.testing.MemoryImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client that sends many writes before reading any reply (as fio, nbdcopy and the kernel do): the
 * server answers each exactly once, possibly out of order (each reply names its request), and a
 * request other than a write sent after them sees them all and is answered after them.
 */
class PipelinedWritesTest {
  private static final int WRITES = 24;
  private static final int EACH = 64 << 10;

  @Test
  void everyWriteInFlightIsAnsweredOnceAndAReadAfterThemSeesThemAll() throws Exception {
    MemoryImage image = new MemoryImage("mem", WRITES * EACH);
    byte[] data = NbdClientTest.random(WRITES * EACH, 11);
    try (NbdServer server =
            NbdServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                List.of(NbdExport.readWrite("disk", image)),
                ServerLimits.defaults());
        Socket s = connect(server)) {
      sendWritesThenARead(s, data, WRITES, EACH);
      DataInputStream in = new DataInputStream(s.getInputStream());
      Set<Long> answered = new HashSet<>();
      for (int i = 0; i < WRITES; i++) {
        ReplyHeader.Chunk c = chunk(in);
        assertThat(c.type()).isEqualTo(Nbd.REPLY_TYPE_NONE);
        assertThat(c.length()).isZero();
        assertThat(answered.add(c.cookie())).as("one reply per write").isTrue();
      }
      assertThat(answered).hasSize(WRITES).allMatch(cookie -> cookie >= 1 && cookie <= WRITES);
      ReplyHeader.Chunk read = chunk(in);
      assertThat(read.cookie()).isEqualTo(1000);
      assertThat(read.type()).isEqualTo(Nbd.REPLY_TYPE_OFFSET_DATA);
      assertThat(in.readLong()).isZero(); // the offset
      assertThat(in.readNBytes((int) read.length() - 8)).isEqualTo(data);
      HostileClientTest.request(s, new Request(0, Command.DISC, 1001, 0, 0));
      assertThat(HostileClientTest.drainUntilClosed(s)).isZero();
    }
    assertThat(image.content()).isEqualTo(data);
  }

  /**
   * A read sent while writes are in flight is answered only after them, so it sees them: the writes
   * wait at a gate that the first read opens (else it opens by itself after a second), so a read
   * served at once would find them not yet written.
   */
  @Test
  void aReadSentWhileWritesAreInFlightWaitsForThemAndSeesThem() throws Exception {
    GatedImage image = new GatedImage(new MemoryImage("mem", NbdServerSession.WRITERS * EACH));
    byte[] data = NbdClientTest.random(NbdServerSession.WRITERS * EACH, 12);
    try (NbdServer server =
            NbdServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                List.of(NbdExport.readWrite("disk", image)),
                ServerLimits.defaults());
        Socket s = connect(server)) {
      sendWritesThenARead(s, data, NbdServerSession.WRITERS, EACH);
      DataInputStream in = new DataInputStream(s.getInputStream());
      for (int i = 0; i < NbdServerSession.WRITERS; i++) {
        assertThat(chunk(in).cookie()).isBetween(1L, (long) NbdServerSession.WRITERS);
      }
      ReplyHeader.Chunk read = chunk(in);
      assertThat(read.cookie()).isEqualTo(1000);
      in.readLong();
      assertThat(in.readNBytes((int) read.length() - 8)).isEqualTo(data);
    }
    assertThat(image.readDuringWrites).as("a read ran while writes were in flight").isFalse();
  }

  /**
   * The process's write buffers are bounded: with every one of them taken, writes are still all
   * answered, in turn on the connection's own thread, and none is lost.
   */
  @Test
  void withEveryWriteBufferInUseWritesAreAnsweredInTurn() throws Exception {
    List<byte[]> taken = new ArrayList<>();
    for (byte[] b = WriteBuffers.take(); b != null; b = WriteBuffers.take()) {
      taken.add(b);
    }
    assertThat(taken).hasSizeLessThanOrEqualTo(WriteBuffers.MAX);
    try {
      assertAnsweredInTurn(EACH);
    } finally {
      taken.forEach(WriteBuffers::give);
    }
  }

  /** Small writes (4 KiB random writes) are not worth a hand-off: answered in turn. */
  @Test
  void writesSmallerThanTheSmallestPipelinedAreAnsweredInTurn() throws Exception {
    assertAnsweredInTurn(NbdServerSession.SMALLEST_PIPELINED / 2);
  }

  /**
   * Sends {@link #WRITES} writes of {@code each} bytes and a read of them all: the replies come in
   * order, the read sees every write, and no write ran on a writer thread.
   */
  private static void assertAnsweredInTurn(int each) throws Exception {
    Set<String> writerThreads = ConcurrentHashMap.newKeySet();
    WritableImage image =
        new ForwardingWritableImage(new MemoryImage("mem", WRITES * each)) {
          @Override
          public void write(long position, byte[] src, int offset, int length) throws IOException {
            writerThreads.add(Thread.currentThread().getName());
            super.write(position, src, offset, length);
          }
        };
    byte[] data = NbdClientTest.random(WRITES * each, 13);
    try (NbdServer server =
            NbdServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                List.of(NbdExport.readWrite("disk", image)),
                ServerLimits.defaults());
        Socket s = connect(server)) {
      sendWritesThenARead(s, data, WRITES, each);
      DataInputStream in = new DataInputStream(s.getInputStream());
      for (int i = 0; i < WRITES; i++) {
        assertThat(chunk(in).cookie()).as("answered in turn").isEqualTo(1 + i);
      }
      ReplyHeader.Chunk read = chunk(in);
      assertThat(read.cookie()).isEqualTo(1000);
      in.readLong();
      assertThat(in.readNBytes((int) read.length() - 8)).isEqualTo(data);
    }
    assertThat(writerThreads).isNotEmpty().noneMatch(name -> name.startsWith("nbd-write"));
  }

  /** Writes wait at a gate that the first read opens, or that opens after a second anyway. */
  private static final class GatedImage extends ForwardingWritableImage {
    private final CountDownLatch gate = new CountDownLatch(1);
    private final AtomicInteger writing = new AtomicInteger();
    volatile boolean readDuringWrites;

    GatedImage(WritableImage delegate) {
      super(delegate);
    }

    @Override
    public void write(long position, byte[] src, int offset, int length) throws IOException {
      writing.incrementAndGet();
      try {
        if (!gate.await(1, TimeUnit.SECONDS)) {
          gate.countDown();
        }
        super.write(position, src, offset, length);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("write interrupted at the gate");
      } finally {
        writing.decrementAndGet();
      }
    }

    @Override
    public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
      if (writing.get() > 0) {
        readDuringWrites = true;
      }
      gate.countDown();
      super.readFully(position, dst, offset, length);
    }
  }

  /**
   * Enters transmission, then sends {@code count} writes of {@code each} bytes of {@code data}
   * (cookies 1 to count) and a read of all of them (cookie 1000) before reading any reply.
   */
  private static void sendWritesThenARead(Socket s, byte[] data, int count, int each)
      throws IOException {
    HostileClientTest.enterTransmission(s);
    for (int i = 0; i < count; i++) {
      HostileClientTest.request(s, new Request(0, Command.WRITE, 1 + i, (long) i * each, each));
      s.getOutputStream().write(data, i * each, each);
    }
    HostileClientTest.request(
        s, new Request(Nbd.CMD_FLAG_DF, Command.READ, 1000, 0, (long) count * each));
  }

  private static Socket connect(NbdServer server) throws IOException {
    InetSocketAddress a = (InetSocketAddress) server.address();
    Socket s = new Socket(a.getAddress(), a.getPort());
    s.setSoTimeout(HostileClientTest.SO_TIMEOUT);
    return s;
  }

  private static ReplyHeader.Chunk chunk(DataInputStream in) throws IOException {
    return (ReplyHeader.Chunk)
        NbdCodec.decodeReplyHeader(ByteBuffer.wrap(in.readNBytes(ReplyHeader.Chunk.SIZE)));
  }
}
