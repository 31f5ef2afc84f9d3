package io.tributary.pipelines.testing;

import io.tributary.pipelines.Run;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A streaming {@link Run} (cycles, or {@code --unboundedRead}) on a thread of its own, stopped
 * through its stop signal as Ctrl-C would stop it.
 */
public record StreamingRun(
    CompletableFuture<Integer> status, CountDownLatch stopSignal, ByteArrayOutputStream err) {

  /** How long {@link #await} waits for a condition. */
  public static final Duration TIMEOUT = Duration.ofSeconds(180);

  public static StreamingRun start(List<String> args) {
    CountDownLatch stop = new CountDownLatch(1);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> status =
        CompletableFuture.supplyAsync(
            () ->
                Run.run(
                    args.toArray(String[]::new),
                    new PrintStream(OutputStream.nullOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    stop),
            // A thread of its own: the common pool has one thread on two cores, and Spark and
            // Kafka tasks can hold it.
            task -> new Thread(task, "streaming-run").start());
    return new StreamingRun(status, stop, err);
  }

  /** Stops the run and returns its exit status. */
  public int stop() throws Exception {
    stopSignal.countDown();
    return status.get(2, TimeUnit.MINUTES);
  }

  /** What the run wrote on stderr so far. */
  public String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /**
   * Polls {@code condition} every half second until it holds; fails, with the run's output, after
   * {@link #TIMEOUT} or as soon as the run ends.
   */
  public void await(String what, BooleanSupplier condition) {
    Poll.upTo(TIMEOUT)
        .unlessEnded(() -> status.isDone() ? Optional.of("the run ended") : Optional.empty())
        .until(() -> what + "; the run's output:\n" + errors(), condition::getAsBoolean);
  }
}
