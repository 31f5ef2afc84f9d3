package io.tributary.generators;

import java.util.concurrent.locks.LockSupport;

/** Holds a run to a target rate by sleeping whenever it gets ahead of schedule. */
final class Pacer {
  private final double eventsPerSecond;
  private final long startNanos = System.nanoTime();

  /**
   * @param eventsPerSecond target rate; 0 or less means as fast as possible
   */
  Pacer(double eventsPerSecond) {
    this.eventsPerSecond = eventsPerSecond;
  }

  /** Waits until the {@code sent}-th event is due. */
  void awaitTurn(long sent) {
    if (eventsPerSecond <= 0) {
      return;
    }
    long dueNanos = startNanos + (long) (sent * 1e9 / eventsPerSecond);
    long waitNanos;
    while ((waitNanos = dueNanos - System.nanoTime()) > 0
        && !Thread.currentThread().isInterrupted()) {
      LockSupport.parkNanos(waitNanos);
    }
  }
}
