package io.tributary.pipelines.lakehouse;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A half-open span of time {@code [startMillis, endMillis)} in epoch milliseconds.
 *
 * @param startMillis first instant in the span
 * @param endMillis first instant after it
 */
public record TimeSpan(long startMillis, long endMillis) implements Serializable {
  private static final long serialVersionUID = 1L;

  public boolean contains(long millis) {
    return millis >= startMillis && millis < endMillis;
  }

  /** Overlapping or touching spans joined, in order. */
  public static List<TimeSpan> merge(List<TimeSpan> spans) {
    List<TimeSpan> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparingLong(TimeSpan::startMillis));
    List<TimeSpan> merged = new ArrayList<>();
    for (TimeSpan span : sorted) {
      if (!merged.isEmpty() && merged.get(merged.size() - 1).endMillis() >= span.startMillis()) {
        TimeSpan last = merged.remove(merged.size() - 1);
        merged.add(new TimeSpan(last.startMillis(), Math.max(last.endMillis(), span.endMillis())));
      } else {
        merged.add(span);
      }
    }
    return merged;
  }
}
