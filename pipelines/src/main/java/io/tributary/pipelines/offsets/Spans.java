package io.tributary.pipelines.offsets;

import java.io.Serializable;

/**
 * One partition's ranges: sorted, disjoint and not touching ({@code ends[i] < starts[i + 1]}), in
 * two arrays. Offsets mostly arrive in order, which appends or extends the last range; a silver
 * file's rows are a hash share of the offsets, so its ranges can number a hundred thousand.
 */
final class Spans implements Serializable {
  private static final long serialVersionUID = 1L;
  long[] starts = new long[4];
  long[] ends = new long[4];
  int size;

  void add(long start, long end) {
    if (size == 0 || start > ends[size - 1]) {
      append(start, end);
      return;
    }
    if (start >= starts[size - 1]) {
      ends[size - 1] = Math.max(ends[size - 1], end);
      return;
    }
    // The first range that reaches start, and the last that starts by end: those merge.
    int first = firstEndingAtOrAfter(start);
    int last = lastStartingAtOrBefore(end);
    if (first > last) {
      insert(first, start, end);
      return;
    }
    starts[first] = Math.min(start, starts[first]);
    ends[first] = Math.max(end, ends[last]);
    int removed = last - first;
    if (removed > 0) {
      System.arraycopy(starts, last + 1, starts, first + 1, size - last - 1);
      System.arraycopy(ends, last + 1, ends, first + 1, size - last - 1);
      size -= removed;
    }
  }

  /** The index of the last range starting at or before {@code offset}, or -1. */
  int lastStartingAtOrBefore(long offset) {
    int low = 0;
    int high = size - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (starts[mid] <= offset) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  /** The index of the first range ending at or after {@code offset}, or size. */
  private int firstEndingAtOrAfter(long offset) {
    int low = 0;
    int high = size - 1;
    int found = size;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (ends[mid] >= offset) {
        found = mid;
        high = mid - 1;
      } else {
        low = mid + 1;
      }
    }
    return found;
  }

  private void append(long start, long end) {
    grow();
    starts[size] = start;
    ends[size] = end;
    size++;
  }

  private void insert(int at, long start, long end) {
    grow();
    System.arraycopy(starts, at, starts, at + 1, size - at);
    System.arraycopy(ends, at, ends, at + 1, size - at);
    starts[at] = start;
    ends[at] = end;
    size++;
  }

  private void grow() {
    if (size == starts.length) {
      starts = java.util.Arrays.copyOf(starts, size * 2);
      ends = java.util.Arrays.copyOf(ends, size * 2);
    }
  }

  Spans copy() {
    Spans copy = new Spans();
    copy.starts = java.util.Arrays.copyOf(starts, Math.max(size, 4));
    copy.ends = java.util.Arrays.copyOf(ends, Math.max(size, 4));
    copy.size = size;
    return copy;
  }

  /** The union of two, merged in one ordered pass. */
  static Spans union(Spans a, Spans b) {
    Spans union = new Spans();
    int i = 0;
    int j = 0;
    while (i < a.size || j < b.size) {
      boolean fromA = j >= b.size || (i < a.size && a.starts[i] <= b.starts[j]);
      long start = fromA ? a.starts[i] : b.starts[j];
      long end = fromA ? a.ends[i++] : b.ends[j++];
      if (union.size > 0 && start <= union.ends[union.size - 1]) {
        union.ends[union.size - 1] = Math.max(union.ends[union.size - 1], end);
      } else {
        union.append(start, end);
      }
    }
    return union;
  }
}
