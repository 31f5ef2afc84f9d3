package io.tributary.kafka.broker;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/** TCP port checks done before Kafka binds, so failures name the port instead of a stack trace. */
final class Ports {

  private Ports() {}

  /** Asks the OS for a currently free port on {@code host}. */
  static int findFree(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new StartupException("cannot find a free port on " + host + ": " + e.getMessage(), e);
    }
  }

  /**
   * Fails with a message naming the port if it cannot be listened on, usually because it is taken.
   */
  static void requireFree(String host, int port) {
    requireFree(host, port, "--port");
  }

  /** As {@link #requireFree(String, int)}, for the port given by (or derived from) {@code flag}. */
  static void requireFree(String host, int port, String flag) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      String reason = String.valueOf(e.getMessage());
      if (reason.contains("in use")) {
        throw new StartupException(
            "port "
                + port
                + " on "
                + host
                + " is already in use; stop the other process or pass "
                + flag
                + "=0 for a free port",
            e);
      }
      throw new StartupException(
          "cannot listen on port " + port + " of " + host + ": " + reason, e);
    } catch (IOException e) {
      throw new StartupException(
          "cannot listen on port " + port + " of " + host + ": " + e.getMessage(), e);
    }
  }

  /** Blocks until a TCP connect to host:port succeeds, or fails after {@code timeout}. */
  static void awaitAccepting(String host, int port, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    IOException last = null;
    while (Instant.now().isBefore(deadline)) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), 1_000);
        return;
      } catch (IOException e) {
        last = e;
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      }
    }
    throw new StartupException(
        "broker started but " + host + ":" + port + " accepted no connection within " + timeout,
        last);
  }
}
