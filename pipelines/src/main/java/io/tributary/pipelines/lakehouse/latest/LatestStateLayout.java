package io.tributary.pipelines.lakehouse.latest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.pipelines.lakehouse.delta.MergeCommit;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * What makes a table a latest-state table: the key columns that identify a row, the ordering
 * columns that say which of two rows with the same key is the later one, and the number of buckets
 * the keys are spread over (each bucket is one data file, see {@link MergeCommit}).
 *
 * <p>Rows compare by their ordering columns, in order, nulls lowest; rows whose ordering columns
 * are equal compare by all their columns in table order, so that the latest row of a key does not
 * depend on the order rows arrive in. The layout is recorded in the table (domain metadata {@value
 * #DOMAIN}) by its first commit; a writer with another layout is refused, because keys would land
 * in other buckets and a key could end up with two rows.
 */
public final class LatestStateLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Delta domain holding the layout of a latest-state table. */
  public static final String DOMAIN = "tributary.latestState";

  /**
   * How a key is hashed to its bucket; recorded with the layout, so that a change of the hash can
   * never silently move keys.
   */
  static final String BUCKETING = "fmix32-string-hash-v1";

  static final int MAX_BUCKETS = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Schema schema;
  private final List<String> keys;
  private final List<String> ordering;
  private final int buckets;
  private final int[] keyIndices;
  private final int[] orderingIndices;

  /**
   * @throws IllegalArgumentException naming the column when a key or ordering column is not in the
   *     schema, or when there is no key column or the bucket count is out of range
   */
  LatestStateLayout(
      String table, Schema schema, List<String> keys, List<String> ordering, int buckets) {
    if (keys == null || keys.isEmpty()) {
      throw new IllegalArgumentException(
          "latest-state table " + table + " needs at least one key column");
    }
    if (ordering == null || ordering.isEmpty()) {
      throw new IllegalArgumentException(
          "latest-state table "
              + table
              + " needs at least one ordering column (e.g. event_time, kafka_offset)");
    }
    if (buckets < 1 || buckets > MAX_BUCKETS) {
      throw new IllegalArgumentException(
          "latest-state table "
              + table
              + " needs between 1 and "
              + MAX_BUCKETS
              + " buckets, got "
              + buckets);
    }
    this.schema = schema;
    this.keys = List.copyOf(keys);
    this.ordering = List.copyOf(ordering);
    this.buckets = buckets;
    this.keyIndices = indices(table, schema, keys, "key");
    this.orderingIndices = indices(table, schema, ordering, "ordering");
  }

  private static int[] indices(String table, Schema schema, List<String> columns, String role) {
    int[] indices = new int[columns.size()];
    for (int i = 0; i < indices.length; i++) {
      String column = columns.get(i);
      if (!schema.hasField(column)) {
        throw new IllegalArgumentException(
            role
                + " column '"
                + column
                + "' of latest-state table "
                + table
                + " is not one of its columns "
                + schema.getFieldNames());
      }
      indices[i] = schema.indexOf(column);
    }
    return indices;
  }

  Schema schema() {
    return schema;
  }

  List<String> keys() {
    return keys;
  }

  List<String> ordering() {
    return ordering;
  }

  public int buckets() {
    return buckets;
  }

  /**
   * The row's key as text that is equal for equal keys and differs for different ones: each key
   * column's canonical text, length-prefixed. Decimals are compared by value, timestamps by
   * millisecond, bytes by content.
   */
  public String key(Row row) {
    StringBuilder key = new StringBuilder();
    for (int index : keyIndices) {
      Object value = row.getValue(index);
      if (value == null) {
        key.append("n;");
      } else {
        String text = canonical(value);
        key.append(text.length()).append(':').append(text);
      }
    }
    return key.toString();
  }

  /** The bucket of a key (of {@link #key}): a fixed hash, so every writer and run agrees. */
  public int bucket(String key) {
    int h = key.hashCode();
    // MurmurHash3's finalizer spreads String.hashCode's low bits (consecutive ids) over the
    // buckets.
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Math.floorMod(h, buckets);
  }

  /** Whether {@code candidate} is later than {@code current}, the row the key has now. */
  public boolean isLater(Row candidate, Row current) {
    return compare(candidate, current) > 0;
  }

  /** Orders rows by the ordering columns, then (ties) by every column. */
  int compare(Row a, Row b) {
    for (int index : orderingIndices) {
      int c = compareValues(a.getValue(index), b.getValue(index));
      if (c != 0) {
        return c;
      }
    }
    for (int index = 0; index < schema.getFieldCount(); index++) {
      int c = compareValues(a.getValue(index), b.getValue(index));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareValues(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.compareUnsigned(x, y);
    }
    if (a instanceof ReadableInstant x && b instanceof ReadableInstant y) {
      return Long.compare(x.getMillis(), y.getMillis());
    }
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y);
    }
    return ((Comparable) a).compareTo(b);
  }

  private static String canonical(Object value) {
    if (value instanceof ReadableInstant instant) {
      return Long.toString(instant.getMillis());
    } else if (value instanceof BigDecimal decimal) {
      return decimal.stripTrailingZeros().toPlainString();
    } else if (value instanceof byte[] bytes) {
      return HexFormat.of().formatHex(bytes);
    }
    return value.toString();
  }

  /** The layout as recorded in the table. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    keys.forEach(root.putArray("keys")::add);
    ordering.forEach(root.putArray("ordering")::add);
    root.put("buckets", buckets);
    root.put("bucketing", BUCKETING);
    return root.toString();
  }

  /**
   * Refuses to write a table whose recorded layout differs from this one.
   *
   * @throws IllegalStateException saying both layouts and what to do
   */
  public void checkRecorded(String table, String recorded) {
    JsonNode root;
    try {
      root = JSON.readTree(recorded);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "unreadable latest-state layout of table " + table + ": " + recorded, e);
    }
    if (!names(root.get("keys")).equals(keys)
        || !names(root.get("ordering")).equals(ordering)
        || root.path("buckets").asInt() != buckets
        || !BUCKETING.equals(root.path("bucketing").asText())) {
      throw new IllegalStateException(
          "latest-state table "
              + table
              + " was written with layout "
              + recorded
              + " but this pipeline writes it with "
              + toJson()
              + ": keys would move between buckets and get two rows. Keep the table's key columns,"
              + " ordering and bucket count, or write to a new table");
    }
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    if (array != null) {
      array.forEach(name -> names.add(name.asText()));
    }
    return names;
  }
}
