package dev.intact.server.http;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
  void skipRestDropsWhatIsLeftOfTheBody() throws IOException {
    MemorySegment dst = Arena.ofAuto().allocate(8);
    try (BlockingBody b = new BlockingBody(body("ab", "cd", "ef"))) {
      assertThat(b.read(dst, 0, 1)).isEqualTo(1);
      b.skipRest();
      assertThat(b.hasMore()).isFalse();
      assertThat(b.read(dst, 0, 8)).isZero();
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
    MemorySegment dst = Arena.ofAuto().allocate(8);
    CompletableFuture<Integer> read = new CompletableFuture<>();
    Thread reader =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (BlockingBody b = new BlockingBody(content)) {
                    read.complete(b.read(dst, 0, 8));
                  } catch (IOException | RuntimeException e) {
                    read.completeExceptionally(e);
                  }
                });
    // The body is written only once the reader waits for it: the wait is what is tested.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (reader.getState() != Thread.State.WAITING && !read.isDone()) {
      assertThat(System.nanoTime()).as("reader waiting for the body").isLessThan(deadline);
      LockSupport.parkNanos(1_000_000);
    }
    assertThat(read).as("no byte was there to read yet").isNotDone();
    content.write(true, ByteBuffer.wrap("late".getBytes(US_ASCII)), Callback.NOOP);
    assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(4);
    assertThat(text(dst, 0, 4)).isEqualTo("late");
    reader.join();
  }
}
