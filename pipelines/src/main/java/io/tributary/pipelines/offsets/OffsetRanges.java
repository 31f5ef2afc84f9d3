package io.tributary.pipelines.offsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The Kafka offsets a table has accounted for, per partition: every record at these offsets is
 * either in the table or was never meant for it (an invalid record is not in silver, a valid one
 * not in quarantine). Kept as sorted, disjoint, half-open {@code [start, end)} ranges, which merge
 * as the gaps left by out-of-order commits fill in, so a table that is caught up holds one range
 * per partition.
 *
 * <p>Recorded with every commit of the table (Delta domain metadata {@code
 * tributary.kafka.<topic>}, in the same {@code N.json} as the data), as JSON {@code
 * {"0":[[0,1500],[1600,1700]],"1":[[0,800]]}}. A restart resumes each partition at the first offset
 * that some table has not accounted for, and each table skips what it already has: that is what
 * makes Kafka to Delta exactly-once (see the README's delivery guarantee).
 *
 * <p>Mutable; not thread-safe.
 */
public final class OffsetRanges implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Per partition, its ranges. */
  private final TreeMap<Integer, Spans> ranges = new TreeMap<>();

  public static OffsetRanges empty() {
    return new OffsetRanges();
  }

  /** Accounts for one offset. */
  public OffsetRanges add(int partition, long offset) {
    return add(partition, offset, offset + 1);
  }

  /** Accounts for {@code [start, end)}; an empty range changes nothing. */
  public OffsetRanges add(int partition, long start, long end) {
    if (start < end) {
      ranges.computeIfAbsent(partition, p -> new Spans()).add(start, end);
    }
    return this;
  }

  public OffsetRanges addAll(OffsetRanges other) {
    other.ranges.forEach(
        (partition, spans) -> {
          Spans mine = ranges.get(partition);
          if (mine == null || mine.size == 0) {
            ranges.put(partition, spans.copy());
          } else if (spans.size < MERGE_BY_INSERTS) {
            for (int i = 0; i < spans.size; i++) {
              mine.add(spans.starts[i], spans.ends[i]);
            }
          } else {
            ranges.put(partition, Spans.union(mine, spans));
          }
        });
    return this;
  }

  /**
   * Below this many ranges, a union adds them one by one; from it on, both sides are merged in one
   * pass (the ranges of a silver file can number a hundred thousand: its rows are a hash-bucket
   * share of the offsets).
   */
  private static final int MERGE_BY_INSERTS = 64;

  /**
   * Accounts for {@code offsets} (the first {@code count}, any order, repeats allowed) of one
   * partition: sorted first, so that adding them takes one ordered pass.
   */
  public OffsetRanges addSorting(int partition, long[] offsets, int count) {
    java.util.Arrays.sort(offsets, 0, count);
    int i = 0;
    while (i < count) {
      long start = offsets[i];
      long end = start + 1;
      i++;
      while (i < count && offsets[i] <= end) {
        end = Math.max(end, offsets[i] + 1);
        i++;
      }
      add(partition, start, end);
    }
    return this;
  }

  /** The number of offsets, all partitions. */
  public long count() {
    long count = 0;
    for (Spans spans : ranges.values()) {
      for (int i = 0; i < spans.size; i++) {
        count += spans.ends[i] - spans.starts[i];
      }
    }
    return count;
  }

  public boolean isEmpty() {
    return ranges.values().stream().allMatch(spans -> spans.size == 0);
  }

  public boolean contains(int partition, long offset) {
    Spans spans = ranges.get(partition);
    if (spans == null) {
      return false;
    }
    int at = spans.lastStartingAtOrBefore(offset);
    return at >= 0 && spans.ends[at] > offset;
  }

  /** A copy without the offsets of {@code other}. */
  public OffsetRanges minus(OffsetRanges other) {
    OffsetRanges result = empty();
    ranges.forEach(
        (partition, spans) -> {
          Spans cuts = other.ranges.getOrDefault(partition, new Spans());
          int c = 0;
          for (int i = 0; i < spans.size; i++) {
            long from = spans.starts[i];
            long end = spans.ends[i];
            while (c < cuts.size && cuts.ends[c] <= from) {
              c++;
            }
            int k = c;
            while (k < cuts.size && cuts.starts[k] < end) {
              result.add(partition, from, Math.min(cuts.starts[k], end));
              from = Math.max(from, cuts.ends[k]);
              k++;
            }
            result.add(partition, from, end);
          }
        });
    return result;
  }

  /** Whether any offset is in both. */
  public boolean intersects(OffsetRanges other) {
    for (Map.Entry<Integer, Spans> partition : other.ranges.entrySet()) {
      Spans mine = ranges.get(partition.getKey());
      if (mine == null || mine.size == 0) {
        continue;
      }
      Spans theirs = partition.getValue();
      // Both sorted: one pass over the two.
      int i = 0;
      int j = 0;
      while (i < mine.size && j < theirs.size) {
        if (mine.ends[i] <= theirs.starts[j]) {
          i++;
        } else if (theirs.ends[j] <= mine.starts[i]) {
          j++;
        } else {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether every offset of {@code other} is here too. */
  public boolean containsAll(OffsetRanges other) {
    for (Map.Entry<Integer, Spans> partition : other.ranges.entrySet()) {
      Spans mine = ranges.get(partition.getKey());
      Spans theirs = partition.getValue();
      for (int j = 0; j < theirs.size; j++) {
        int at = mine == null ? -1 : mine.lastStartingAtOrBefore(theirs.starts[j]);
        if (at < 0 || mine.ends[at] < theirs.ends[j]) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The first offset at or after {@code from} that is not accounted for: where a restart reads this
   * partition from.
   */
  public long firstGapFrom(int partition, long from) {
    Spans spans = ranges.get(partition);
    if (spans == null) {
      return from;
    }
    int at = spans.lastStartingAtOrBefore(from);
    return at >= 0 && spans.ends[at] > from ? spans.ends[at] : from;
  }

  /**
   * Per partition, the end of its first range: the next offset after the contiguous run that starts
   * at the lowest offset accounted for.
   */
  public Map<Integer, Long> frontiers() {
    Map<Integer, Long> frontiers = new TreeMap<>();
    ranges.forEach(
        (partition, spans) -> {
          if (spans.size > 0) {
            frontiers.put(partition, spans.ends[0]);
          }
        });
    return frontiers;
  }

  /** Per partition, its lowest offset. */
  public Map<Integer, Long> starts() {
    Map<Integer, Long> starts = new TreeMap<>();
    ranges.forEach(
        (partition, spans) -> {
          if (spans.size > 0) {
            starts.put(partition, spans.starts[0]);
          }
        });
    return starts;
  }

  /** Per partition, the offset after its highest one. */
  public Map<Integer, Long> ends() {
    Map<Integer, Long> ends = new TreeMap<>();
    ranges.forEach(
        (partition, spans) -> {
          if (spans.size > 0) {
            ends.put(partition, spans.ends[spans.size - 1]);
          }
        });
    return ends;
  }

  /** Partitions with at least one offset. */
  public java.util.Set<Integer> partitions() {
    return frontiers().keySet();
  }

  /** A copy, so that merging into it leaves this one unchanged. */
  public OffsetRanges copy() {
    return empty().addAll(this);
  }

  /** One partition's ranges, start → end (exclusive). */
  public NavigableMap<Long, Long> spans(int partition) {
    TreeMap<Long, Long> view = new TreeMap<>();
    Spans spans = ranges.get(partition);
    for (int i = 0; spans != null && i < spans.size; i++) {
      view.put(spans.starts[i], spans.ends[i]);
    }
    return view;
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ranges.forEach(
        (partition, spans) -> {
          if (spans.size == 0) {
            return;
          }
          ArrayNode list = root.putArray(String.valueOf(partition));
          for (int i = 0; i < spans.size; i++) {
            list.addArray().add(spans.starts[i]).add(spans.ends[i]);
          }
        });
    return root.toString();
  }

  /**
   * Serialized as plain arrays of range bounds, whatever the in-memory form (and without the unused
   * array capacity).
   */
  private Object writeReplace() {
    int[] partitions = new int[ranges.size()];
    long[][] bounds = new long[ranges.size()][];
    int i = 0;
    for (Map.Entry<Integer, Spans> partition : ranges.entrySet()) {
      partitions[i] = partition.getKey();
      Spans spans = partition.getValue();
      long[] flat = new long[spans.size * 2];
      for (int j = 0; j < spans.size; j++) {
        flat[2 * j] = spans.starts[j];
        flat[2 * j + 1] = spans.ends[j];
      }
      bounds[i++] = flat;
    }
    return new Serialized(partitions, bounds);
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("OffsetRanges are read through their Serialized form");
  }

  /** The serialized form: per partition, its ranges' starts and ends, in order. */
  private record Serialized(int[] partitions, long[][] bounds) implements Serializable {
    private Object readResolve() {
      OffsetRanges ranges = empty();
      for (int i = 0; i < partitions.length; i++) {
        for (int j = 0; j + 1 < bounds[i].length; j += 2) {
          ranges.add(partitions[i], bounds[i][j], bounds[i][j + 1]);
        }
      }
      return ranges;
    }
  }

  /**
   * Parses {@link #toJson}. Also reads the earlier format, the next offset per partition ({@code
   * {"0":1234}}), as everything below it accounted for.
   */
  public static OffsetRanges fromJson(String json) {
    OffsetRanges parsed = empty();
    try {
      JsonNode root = JSON.readTree(json);
      Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        int partition = Integer.parseInt(field.getKey());
        JsonNode value = field.getValue();
        if (value.isNumber()) {
          parsed.add(partition, 0, value.asLong());
          continue;
        }
        if (!value.isArray()) {
          throw new IllegalArgumentException("partition " + partition + " is not a list of ranges");
        }
        for (JsonNode span : value) {
          if (!span.isArray()
              || span.size() != 2
              || !span.get(0).canConvertToLong()
              || !span.get(1).canConvertToLong()) {
            throw new IllegalArgumentException("not a [start, end] range: " + span);
          }
          parsed.add(partition, span.get(0).asLong(), span.get(1).asLong());
        }
      }
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalStateException("unreadable Kafka offset ranges: " + json, e);
    }
    return parsed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OffsetRanges other && toJson().equals(other.toJson());
  }

  @Override
  public int hashCode() {
    return Objects.hash(toJson());
  }

  @Override
  public String toString() {
    return toJson();
  }
}
