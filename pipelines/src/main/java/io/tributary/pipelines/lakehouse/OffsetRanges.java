package io.tributary.pipelines.lakehouse;

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

  /** Per partition: range start → range end (exclusive). */
  private final TreeMap<Integer, TreeMap<Long, Long>> ranges = new TreeMap<>();

  public static OffsetRanges empty() {
    return new OffsetRanges();
  }

  /** Accounts for one offset. */
  public OffsetRanges add(int partition, long offset) {
    return add(partition, offset, offset + 1);
  }

  /** Accounts for {@code [start, end)}; an empty range changes nothing. */
  public OffsetRanges add(int partition, long start, long end) {
    if (start >= end) {
      return this;
    }
    TreeMap<Long, Long> spans = ranges.computeIfAbsent(partition, p -> new TreeMap<>());
    // Fast paths, the usual cases (offsets arrive in order): extend the last range, or start a
    // new one after it.
    Map.Entry<Long, Long> last = spans.lastEntry();
    if (last == null || last.getValue() < start) {
      spans.put(start, end);
      return this;
    }
    if (last.getKey() <= start) {
      if (end > last.getValue()) {
        spans.put(last.getKey(), end);
      }
      return this;
    }
    // Merge with a range that starts before and reaches start, then swallow all that follow.
    Map.Entry<Long, Long> before = spans.floorEntry(start);
    if (before != null && before.getValue() >= start) {
      start = before.getKey();
      end = Math.max(end, before.getValue());
    }
    Iterator<Map.Entry<Long, Long>> after = spans.tailMap(start, true).entrySet().iterator();
    while (after.hasNext()) {
      Map.Entry<Long, Long> next = after.next();
      if (next.getKey() > end) {
        break;
      }
      end = Math.max(end, next.getValue());
      after.remove();
    }
    spans.put(start, end);
    return this;
  }

  public OffsetRanges addAll(OffsetRanges other) {
    other.ranges.forEach(
        (partition, spans) -> {
          TreeMap<Long, Long> mine = ranges.get(partition);
          if (mine == null || mine.isEmpty() || spans.size() < MERGE_BY_INSERTS) {
            spans.forEach((start, end) -> add(partition, start, end));
          } else {
            ranges.put(partition, merged(mine, spans));
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

  /** The union of two partitions' ranges, merged in one ordered pass. */
  private static TreeMap<Long, Long> merged(TreeMap<Long, Long> a, TreeMap<Long, Long> b) {
    Iterator<Map.Entry<Long, Long>> left = a.entrySet().iterator();
    Iterator<Map.Entry<Long, Long>> right = b.entrySet().iterator();
    Map.Entry<Long, Long> l = left.hasNext() ? left.next() : null;
    Map.Entry<Long, Long> r = right.hasNext() ? right.next() : null;
    TreeMap<Long, Long> union = new TreeMap<>();
    long start = 0;
    long end = Long.MIN_VALUE;
    while (l != null || r != null) {
      Map.Entry<Long, Long> next;
      if (r == null || (l != null && l.getKey() <= r.getKey())) {
        next = l;
        l = left.hasNext() ? left.next() : null;
      } else {
        next = r;
        r = right.hasNext() ? right.next() : null;
      }
      if (end >= next.getKey()) {
        end = Math.max(end, next.getValue());
      } else {
        if (end != Long.MIN_VALUE) {
          union.put(start, end);
        }
        start = next.getKey();
        end = next.getValue();
      }
    }
    if (end != Long.MIN_VALUE) {
      union.put(start, end);
    }
    return union;
  }

  /**
   * The ranges covering {@code offsets} (any order, repeats allowed) of one partition: sorted
   * first, so that building them takes one ordered pass.
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

  public boolean isEmpty() {
    return ranges.values().stream().allMatch(Map::isEmpty);
  }

  public boolean contains(int partition, long offset) {
    TreeMap<Long, Long> spans = ranges.get(partition);
    if (spans == null) {
      return false;
    }
    Map.Entry<Long, Long> span = spans.floorEntry(offset);
    return span != null && span.getValue() > offset;
  }

  /** A copy without the offsets of {@code other}. */
  public OffsetRanges minus(OffsetRanges other) {
    OffsetRanges result = empty();
    ranges.forEach(
        (partition, spans) ->
            spans.forEach(
                (start, end) -> {
                  long from = start;
                  for (Map.Entry<Long, Long> cut : other.spans(partition).entrySet()) {
                    if (cut.getValue() <= from || cut.getKey() >= end) {
                      continue;
                    }
                    result.add(partition, from, Math.min(cut.getKey(), end));
                    from = Math.max(from, cut.getValue());
                  }
                  result.add(partition, from, end);
                }));
    return result;
  }

  /** Whether any offset is in both. */
  public boolean intersects(OffsetRanges other) {
    for (Map.Entry<Integer, TreeMap<Long, Long>> partition : other.ranges.entrySet()) {
      TreeMap<Long, Long> mine = ranges.get(partition.getKey());
      if (mine == null) {
        continue;
      }
      for (Map.Entry<Long, Long> span : partition.getValue().entrySet()) {
        Map.Entry<Long, Long> before = mine.floorEntry(span.getKey());
        if (before != null && before.getValue() > span.getKey()) {
          return true;
        }
        Long next = mine.ceilingKey(span.getKey());
        if (next != null && next < span.getValue()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether every offset of {@code other} is here too. */
  public boolean containsAll(OffsetRanges other) {
    for (Map.Entry<Integer, TreeMap<Long, Long>> partition : other.ranges.entrySet()) {
      TreeMap<Long, Long> mine = ranges.get(partition.getKey());
      for (Map.Entry<Long, Long> span : partition.getValue().entrySet()) {
        Map.Entry<Long, Long> covering = mine == null ? null : mine.floorEntry(span.getKey());
        if (covering == null || covering.getValue() < span.getValue()) {
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
    TreeMap<Long, Long> spans = ranges.get(partition);
    if (spans == null) {
      return from;
    }
    Map.Entry<Long, Long> span = spans.floorEntry(from);
    return span != null && span.getValue() > from ? span.getValue() : from;
  }

  /**
   * Per partition, the end of its first range: the next offset after the contiguous run that starts
   * at the lowest offset accounted for.
   */
  public Map<Integer, Long> frontiers() {
    Map<Integer, Long> frontiers = new TreeMap<>();
    ranges.forEach(
        (partition, spans) -> {
          if (!spans.isEmpty()) {
            frontiers.put(partition, spans.firstEntry().getValue());
          }
        });
    return frontiers;
  }

  /** Partitions with at least one offset. */
  public java.util.Set<Integer> partitions() {
    return frontiers().keySet();
  }

  /** A copy, so that merging into it leaves this one unchanged. */
  public OffsetRanges copy() {
    return empty().addAll(this);
  }

  NavigableMap<Long, Long> spans(int partition) {
    return ranges.getOrDefault(partition, new TreeMap<>());
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ranges.forEach(
        (partition, spans) -> {
          if (spans.isEmpty()) {
            return;
          }
          ArrayNode list = root.putArray(String.valueOf(partition));
          spans.forEach((start, end) -> list.addArray().add(start).add(end));
        });
    return root.toString();
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

  /**
   * Serialized as plain arrays of range bounds (a silver file's ranges can number a hundred
   * thousand, which default serialization of the maps writes slowly and large).
   */
  private Object writeReplace() {
    int[] partitions = new int[ranges.size()];
    long[][] bounds = new long[ranges.size()][];
    int i = 0;
    for (Map.Entry<Integer, TreeMap<Long, Long>> partition : ranges.entrySet()) {
      partitions[i] = partition.getKey();
      long[] spans = new long[partition.getValue().size() * 2];
      int j = 0;
      for (Map.Entry<Long, Long> span : partition.getValue().entrySet()) {
        spans[j++] = span.getKey();
        spans[j++] = span.getValue();
      }
      bounds[i++] = spans;
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
