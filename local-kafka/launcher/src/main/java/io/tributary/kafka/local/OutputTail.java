package io.tributary.kafka.local;

import java.util.ArrayDeque;
import java.util.Deque;

/** The last lines a child process printed, kept so a failure can say what the broker said. */
final class OutputTail {

  private final int capacity;
  private final Deque<String> lines;

  OutputTail(int capacity) {
    this.capacity = capacity;
    this.lines = new ArrayDeque<>(capacity);
  }

  synchronized void add(String line) {
    if (lines.size() == capacity) {
      lines.removeFirst();
    }
    lines.addLast(line);
  }

  /** The kept lines, oldest first, one per line; "(no output)" if there were none. */
  @Override
  public synchronized String toString() {
    return lines.isEmpty() ? "(no output)" : String.join(System.lineSeparator(), lines);
  }
}
