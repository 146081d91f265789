package dev.intact.core.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Stages of one job, each on its own thread, joined by {@link Channel}s, run as a unit: {@link
 * #await} returns when every stage has returned. The first stage to fail cancels every channel of
 * the pipeline, so the others stop wherever they wait, and its exception is what {@link #await}
 * throws; nothing needs end markers, failure records or polling joins, and no stage outlives the
 * pipeline.
 *
 * <p>Stages run on daemon platform threads: they block in system calls (a device write, a read of
 * standard input) that a virtual thread would pin anyway.
 */
public final class Pipeline {

  /** The work of one stage; it closes nothing itself (see {@link #start}). */
  @FunctionalInterface
  public interface Stage {
    void run() throws Exception;
  }

  private final String name;
  private final List<Channel<?>> channels = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Object lock = new Object();
  private Throwable failure; // guarded by lock

  /** A pipeline whose threads are named {@code name-STAGE}. */
  public Pipeline(String name) {
    this.name = name;
  }

  /** A channel between two of this pipeline's stages, cancelled with it. */
  public <T> Channel<T> channel(int capacity) {
    return register(new Channel<>(capacity));
  }

  /** A channel that starts holding {@code items} (a pool of buffers), cancelled with it. */
  public <T> Channel<T> pool(Collection<? extends T> items) {
    return register(new Channel<>(items));
  }

  private <T> Channel<T> register(Channel<T> c) {
    synchronized (lock) {
      channels.add(c);
    }
    return c;
  }

  /**
   * Starts {@code stage} on its own thread. When it returns normally, {@code output} (if not null)
   * is closed, which is how the next stage learns of the end; when it throws, the pipeline fails.
   */
  public void start(String stageName, Channel<?> output, Stage stage) {
    Thread t =
        Thread.ofPlatform()
            .daemon()
            .name(name + "-" + stageName)
            .unstarted(() -> runStage(output, stage));
    synchronized (lock) {
      threads.add(t);
    }
    t.start();
  }

  /**
   * Runs {@code stage} on the calling thread (typically the last stage, which consumes what the
   * others produce), then {@link #await}s the others.
   */
  public void run(Stage stage) throws IOException, InterruptedException {
    runStage(null, stage);
    await();
  }

  private void runStage(Channel<?> output, Stage stage) {
    try {
      stage.run();
      if (output != null) {
        output.close();
      }
    } catch (Throwable t) {
      fail(t);
    }
  }

  /**
   * Makes {@code cause} the pipeline's failure unless there is one already, and cancels every
   * channel. A stage's {@link CancellationException} after another's failure is only its echo.
   */
  public void fail(Throwable cause) {
    List<Channel<?>> toCancel;
    synchronized (lock) {
      if (failure == null) {
        failure = cause;
      }
      toCancel = List.copyOf(channels);
    }
    toCancel.forEach(Channel::cancel);
  }

  /** Whether a stage has failed or the pipeline was cancelled: producers may stop early. */
  public boolean failed() {
    synchronized (lock) {
      return failure != null;
    }
  }

  /**
   * Waits for every stage and throws the first failure, as it was thrown (an {@link IOException},
   * an {@link InterruptedException} or an unchecked exception; anything else is wrapped). If the
   * calling thread is interrupted while waiting, the pipeline is cancelled.
   */
  public void await() throws IOException, InterruptedException {
    try {
      for (Thread t : threadsSoFar()) {
        t.join();
      }
    } catch (InterruptedException e) {
      fail(e);
      throw e;
    }
    Throwable f;
    synchronized (lock) {
      f = failure;
    }
    switch (f) {
      case null -> {}
      case IOException e -> throw e;
      case InterruptedException e -> throw e;
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException(name + " failed", f);
    }
  }

  /** Cancels the pipeline and waits for its stages to stop; their failures are not thrown. */
  public void cancel() throws InterruptedException {
    fail(new CancellationException(name + " was cancelled"));
    for (Thread t : threadsSoFar()) {
      t.join();
    }
  }

  private List<Thread> threadsSoFar() {
    synchronized (lock) {
      return List.copyOf(threads);
    }
  }
}
