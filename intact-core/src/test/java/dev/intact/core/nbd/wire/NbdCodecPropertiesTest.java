package dev.intact.core.nbd.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random and mutated bytes against the codec and a whole server session (the Jazzer target in
 * {@link NbdFuzzTest} replays its corpus; this explores fresh inputs on every run).
 */
class NbdCodecPropertiesTest {

  @Property(tries = 2000)
  void decodersOnlyEverRejectWithAProtocolError(@ForAll @Size(max = 300) byte[] data) {
    FuzzHarness.decode(data);
  }

  @Property(tries = 300)
  void aServerSessionSurvivesAMutatedConversation(@ForAll("mutatedConversations") byte[] input) {
    FuzzHarness.serve(input);
  }

  @Property(tries = 300)
  void aServerSessionSurvivesRandomBytesAfterAValidGreeting(@ForAll @Size(max = 2000) byte[] tail) {
    byte[] input =
        ByteBuffer.allocate(4 + tail.length).putInt(Nbd.FLAG_C_FIXED_NEWSTYLE).put(tail).array();
    FuzzHarness.serve(input);
  }

  @Property(tries = 200)
  void requestsRoundTrip(
      @ForAll int flags,
      @ForAll int type,
      @ForAll long cookie,
      @ForAll long offset,
      @ForAll int length)
      throws NbdProtocolException {
    Request r =
        new Request(flags & 0xffff, type & 0xffff, cookie, offset, Integer.toUnsignedLong(length));
    ByteBuffer b = NbdCodec.encodeRequest(r, ByteBuffer.allocate(Request.SIZE)).flip();
    assertThat(NbdCodec.decodeRequest(b)).isEqualTo(r);
  }

  @Property(tries = 200)
  void metaContextQueriesRoundTrip(
      @ForAll @Size(max = 5) List<@net.jqwik.api.constraints.AlphaChars String> queries)
      throws NbdProtocolException {
    MetaContextQuery q = new MetaContextQuery("export", queries);
    assertThat(NbdCodec.decodeMetaContextQuery(NbdCodec.encodeMetaContextQuery(q))).isEqualTo(q);
  }

  @Example
  void theUnmutatedConversationIsServedToTheEnd() throws NbdProtocolException {
    FuzzHarness.Served s = FuzzHarness.serve(FuzzHarness.validConversation());
    assertThat(java.util.Arrays.copyOf(s.exportContent(), 8))
        .isEqualTo("intact!!".getBytes(StandardCharsets.US_ASCII));
    // the last reply before DISC is the flush's: a final NBD_REPLY_TYPE_NONE chunk for cookie 9
    ByteBuffer last =
        ByteBuffer.wrap(s.out(), s.out().length - ReplyHeader.Chunk.SIZE, ReplyHeader.Chunk.SIZE);
    assertThat(NbdCodec.decodeReplyHeader(last))
        .isEqualTo(new ReplyHeader.Chunk(Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_NONE, 9, 0));
  }

  @Provide
  Arbitrary<byte[]> mutatedConversations() {
    byte[] valid = FuzzHarness.validConversation();
    Arbitrary<Integer> positions = Arbitraries.integers().between(0, valid.length - 1);
    Arbitrary<Byte> values = Arbitraries.bytes();
    Arbitrary<Integer> cuts = Arbitraries.integers().between(1, valid.length);
    return Combinators.combine(positions.list().ofMaxSize(8), values.list().ofSize(8), cuts)
        .as(
            (where, what, cut) -> {
              byte[] b = valid.clone();
              for (int i = 0; i < where.size(); i++) {
                b[where.get(i)] = what.get(i);
              }
              return java.util.Arrays.copyOf(b, cut);
            });
  }
}
