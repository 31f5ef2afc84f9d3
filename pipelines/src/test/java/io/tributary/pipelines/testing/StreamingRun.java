package io.tributary.pipelines.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A streaming {@code ./tributary run} on a thread of its own, stopped through its stop signal (as
 * Ctrl-C would), with what it printed on stderr.
 */
public final class StreamingRun {
  /** The shape of {@code Run.run(args, out, err, stop)}. */
  public interface StoppableCommand {
    int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop);
  }

  /** How long {@link #await} waits. */
  static final Duration AWAIT = Duration.ofSeconds(120);

  private final CompletableFuture<Integer> status;
  private final CountDownLatch stopSignal;
  private final ByteArrayOutputStream err;

  private StreamingRun(
      CompletableFuture<Integer> status, CountDownLatch stopSignal, ByteArrayOutputStream err) {
    this.status = status;
    this.stopSignal = stopSignal;
    this.err = err;
  }

  public static StreamingRun start(StoppableCommand command, List<String> args) {
    CountDownLatch stop = new CountDownLatch(1);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> status =
        CompletableFuture.supplyAsync(
            () ->
                command.run(
                    args.toArray(String[]::new),
                    new PrintStream(OutputStream.nullOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    stop),
            // A thread of its own: the common pool has one thread on two cores, and Spark and
            // Kafka tasks can hold it.
            task -> new Thread(task, "streaming-run").start());
    return new StreamingRun(status, stop, err);
  }

  /** The exit status, once the run ended. */
  public CompletableFuture<Integer> status() {
    return status;
  }

  /** Stops the run and returns its exit status. */
  public int stop() throws Exception {
    stopSignal.countDown();
    return status.get(2, TimeUnit.MINUTES);
  }

  /** What the run printed on stderr so far. */
  public String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /**
   * Polls {@code condition} until it holds; fails, with the run's output, after {@link #AWAIT} or
   * as soon as the run ended.
   */
  public void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline || status.isDone()) {
        throw new AssertionError(
            (status.isDone() ? "the run ended" : "timed out after " + AWAIT.toSeconds() + " s")
                + " waiting for "
                + what
                + "; the run's output:\n"
                + errors());
      }
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
    }
  }
}
