package dev.intact.server.http;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.content.AsyncContent;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

class BlockingBodyTest {
  static AsyncContent body(String... chunks) {
    AsyncContent content = new AsyncContent();
    for (int i = 0; i < chunks.length; i++) {
      content.write(
          i == chunks.length - 1, ByteBuffer.wrap(chunks[i].getBytes(US_ASCII)), Callback.NOOP);
    }
    return content;
  }

  static String text(MemorySegment m, long at, int n) {
    return new String(m.asSlice(at, n).toArray(JAVA_BYTE), US_ASCII);
  }

  @Test
  void readsFillAcrossChunksAndComeUpShortOnlyAtTheEnd() throws IOException {
    MemorySegment dst = Arena.ofAuto().allocate(64);
    try (BlockingBody b = new BlockingBody(body("abc", "", "defgh", "ij"))) {
      assertThat(b.read(dst, 7, 4)).isEqualTo(4);
      assertThat(text(dst, 7, 4)).isEqualTo("abcd");
      assertThat(b.hasMore()).isTrue();
      assertThat(b.read(dst, 0, 10)).isEqualTo(6);
      assertThat(text(dst, 0, 6)).isEqualTo("efghij");
      assertThat(b.hasMore()).isFalse();
      assertThat(b.read(dst, 0, 10)).isZero();
    }
  }

  @Test
  void anEmptyBodyHasNothing() throws IOException {
    AsyncContent empty = new AsyncContent();
    empty.close();
    try (BlockingBody b = new BlockingBody(empty)) {
      assertThat(b.hasMore()).isFalse();
      assertThat(b.read(Arena.ofAuto().allocate(8), 0, 8)).isZero();
    }
  }

  @Test
  void aFailedBodyThrowsItsCause() throws IOException {
    AsyncContent content = new AsyncContent();
    content.write(false, ByteBuffer.wrap("ab".getBytes(US_ASCII)), Callback.NOOP);
    content.fail(new IOException("the client went away"));
    MemorySegment dst = Arena.ofAuto().allocate(8);
    try (BlockingBody b = new BlockingBody(content)) {
      assertThatThrownBy(() -> b.read(dst, 0, 8))
          .isInstanceOf(IOException.class)
          .hasMessage("the client went away");
    }
  }

  @Test
  void aBodyStillArrivingIsWaitedFor() throws Exception {
    AsyncContent content = new AsyncContent();
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                  content.write(true, ByteBuffer.wrap("late".getBytes(US_ASCII)), Callback.NOOP);
                });
    MemorySegment dst = Arena.ofAuto().allocate(8);
    try (BlockingBody b = new BlockingBody(content)) {
      assertThat(b.read(dst, 0, 8)).isEqualTo(4);
      assertThat(text(dst, 0, 4)).isEqualTo("late");
    }
    writer.join();
  }
}
