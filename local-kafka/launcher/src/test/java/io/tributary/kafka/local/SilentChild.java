package io.tributary.kafka.local;

import java.io.IOException;

/** A child process that says one thing and then waits for stdin to close: never "ready". */
public final class SilentChild {

  private SilentChild() {}

  public static void main(String[] args) throws IOException {
    System.err.println("silent child started");
    while (System.in.read() != -1) {
      // wait: the parent never writes, and the process is ended by a signal
    }
  }
}
