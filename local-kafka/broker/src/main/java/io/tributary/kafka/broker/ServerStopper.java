package io.tributary.kafka.broker;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the Kafka server exactly once, whoever asks first: a signal, the shutdown hook or a failed
 * startup. Everyone else waits for that one shutdown to finish, so the JVM never exits while Kafka
 * is still flushing its logs.
 */
final class ServerStopper {

  private static final Logger LOG = LoggerFactory.getLogger(ServerStopper.class);

  private final Server server;
  private final AtomicBoolean requested = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);

  /** Signals received; only a second signal (not a closed stdin) halts. */
  private final java.util.concurrent.atomic.AtomicInteger signals =
      new java.util.concurrent.atomic.AtomicInteger();

  ServerStopper(Server server) {
    this.server = server;
  }

  /**
   * Signal path: shuts down on a separate thread so the signal dispatcher stays free; a second
   * signal means the user gave up waiting, so it halts at once.
   */
  void onSignal(String signalName) {
    if (signals.incrementAndGet() > 1) {
      LOG.warn("{} again: halting without a clean shutdown", signalName);
      Runtime.getRuntime().halt(1);
    }
    if (requested.compareAndSet(false, true)) {
      LOG.info("{}: shutting down the broker", signalName);
      Thread stopper = new Thread(this::shutdown, "kafka-broker-stop");
      stopper.start();
    }
  }

  /**
   * Parent-gone path (stdin closed): shuts down like a first signal, and does nothing if a stop is
   * already under way. A parent that stops the broker with SIGTERM also closes its end of the pipe;
   * that is not a second signal.
   */
  void onParentGone() {
    if (requested.compareAndSet(false, true)) {
      LOG.info("stdin closed: shutting down the broker");
      new Thread(this::shutdown, "kafka-broker-stop").start();
    }
  }

  /** Shutdown-hook and failure path: stops the server unless someone already did, then waits. */
  void stopAndAwait() {
    if (requested.compareAndSet(false, true)) {
      shutdown();
    }
    awaitDone();
  }

  boolean requested() {
    return requested.get();
  }

  private void shutdown() {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.error("error while shutting down the broker", e);
    } finally {
      done.countDown();
    }
  }

  private void awaitDone() {
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
