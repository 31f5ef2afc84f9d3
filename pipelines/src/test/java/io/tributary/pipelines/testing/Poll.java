package io.tributary.pipelines.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it until a deadline: what a test waiting on a pipeline, a broker
 * or a child process does instead of sleeping. It fails with what it waited for, and at once when
 * what it waits on has ended (a process exited), since waiting longer could not help.
 */
public final class Poll {
  /** A condition that may throw what checking it throws (reading a table, asking a broker). */
  @FunctionalInterface
  public interface Condition<E extends Exception> {
    boolean holds() throws E;
  }

  private static final Duration INTERVAL = Duration.ofMillis(500);

  private final Duration timeout;
  private final Duration interval;
  private final Supplier<Optional<String>> ended;

  private Poll(Duration timeout, Duration interval, Supplier<Optional<String>> ended) {
    this.timeout = timeout;
    this.interval = interval;
    this.ended = ended;
  }

  /** Polls every half second for up to {@code timeout}. */
  public static Poll upTo(Duration timeout) {
    return new Poll(timeout, INTERVAL, Optional::empty);
  }

  public Poll every(Duration interval) {
    return new Poll(timeout, interval, ended);
  }

  /**
   * Fails as soon as {@code ended} gives a reason (say "MirrorMaker exited with status 1"): what
   * the condition waits on has ended.
   */
  public Poll unlessEnded(Supplier<Optional<String>> ended) {
    return new Poll(timeout, interval, ended);
  }

  /**
   * Returns once {@code condition} holds; fails after the timeout, or when what it waits on ended.
   */
  public <E extends Exception> void until(String what, Condition<E> condition) throws E {
    until(() -> what, condition);
  }

  /**
   * As {@link #until(String, Condition)}, {@code what} being asked for when failing (so it can say
   * what was seen last).
   */
  public <E extends Exception> void until(Supplier<String> what, Condition<E> condition) throws E {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      Optional<String> end = ended.get();
      if (end.isPresent() || System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            end.orElse("timed out after " + timeout.toSeconds() + " s")
                + " waiting for "
                + what.get());
      }
      LockSupport.parkNanos(interval.toNanos());
    }
  }
}
