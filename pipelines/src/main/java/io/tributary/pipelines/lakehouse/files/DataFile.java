package io.tributary.pipelines.lakehouse.files;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.DataFileStatus;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A written, not yet committed Parquet data file: what the committer needs to rebuild Kernel's
 * {@link DataFileStatus} on another worker ({@code DataFileStatus} and {@code Literal} are not
 * serializable).
 *
 * @param path absolute path of the file as written
 * @param sizeBytes file size
 * @param modificationTimeMillis file modification time
 * @param rowCount rows in the file
 * @param minValues per column the minimum as a plain Java value ({@code null} value: the column is
 *     all null); absent columns have no statistic
 * @param maxValues per column the maximum, like {@code minValues}
 * @param nullCounts per column the number of nulls
 * @param accounted the Kafka offsets of the file's rows (empty unless the table tracks lineage); a
 *     file without a path carries only offsets accounted for without a row (see {@link
 *     #accountedOnly})
 */
public record DataFile(
    String path,
    long sizeBytes,
    long modificationTimeMillis,
    long rowCount,
    HashMap<String, Object> minValues,
    HashMap<String, Object> maxValues,
    HashMap<String, Long> nullCounts,
    OffsetRanges accounted)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Captures what Kernel's Parquet writer reported for one file. */
  public static DataFile of(DataFileStatus status, long rowCount, OffsetRanges accounted) {
    HashMap<String, Object> min = new LinkedHashMap<>();
    HashMap<String, Object> max = new LinkedHashMap<>();
    HashMap<String, Long> nulls = new LinkedHashMap<>();
    status
        .getStatistics()
        .ifPresent(
            stats -> {
              // A null Literal means "no statistic" (Kernel skips it);
              // Literal.ofNull means "all values are null".
              stats.getMinValues().forEach((column, literal) -> putValue(min, column, literal));
              stats.getMaxValues().forEach((column, literal) -> putValue(max, column, literal));
              stats.getNullCount().forEach((column, count) -> nulls.put(name(column), count));
            });
    return new DataFile(
        status.getPath(),
        status.getSize(),
        status.getModificationTime(),
        rowCount,
        min,
        max,
        nulls,
        accounted.copy());
  }

  /**
   * Not a file: Kafka offsets whose records the table accounts for without a row (they went to
   * another table, or were dropped as duplicates), committed like a file's.
   */
  public static DataFile accountedOnly(OffsetRanges offsets) {
    return new DataFile(
        null, 0, 0, 0, new HashMap<>(), new HashMap<>(), new HashMap<>(), offsets.copy());
  }

  /** Whether this is a data file, rather than {@link #accountedOnly} offsets. */
  public boolean isFile() {
    return path != null;
  }

  /** The same file under another path (Parquet tables move files from a staging directory). */
  public DataFile movedTo(String newPath) {
    return new DataFile(
        newPath,
        sizeBytes,
        modificationTimeMillis,
        rowCount,
        minValues,
        maxValues,
        nullCounts,
        accounted);
  }

  /** Kernel's view of the file, with statistics typed against the table's schema. */
  public DataFileStatus toStatus(StructType schema) {
    Map<Column, Literal> min = new HashMap<>();
    Map<Column, Literal> max = new HashMap<>();
    Map<Column, Long> nulls = new HashMap<>();
    for (StructField field : schema.fields()) {
      Column column = new Column(field.getName());
      DataType type = field.getDataType();
      // Kernel 4.0 serializes binary min/max as UTF-8 text, which turns non-UTF-8 bytes into
      // wrong bounds. Spark does not skip on binary columns either, so leave them out.
      if (!(type instanceof BinaryType)) {
        if (minValues.containsKey(field.getName())) {
          min.put(column, literal(type, minValues.get(field.getName())));
        }
        if (maxValues.containsKey(field.getName())) {
          max.put(column, literal(type, maxValues.get(field.getName())));
        }
      }
      if (nullCounts.get(field.getName()) != null) {
        nulls.put(column, nullCounts.get(field.getName()));
      }
    }
    return new DataFileStatus(
        path,
        sizeBytes,
        modificationTimeMillis,
        Optional.of(new DataFileStatistics(rowCount, min, max, nulls)));
  }

  private static void putValue(Map<String, Object> values, Column column, Literal literal) {
    // Binary bounds are never committed (see toStatus). Leaving them out here also keeps
    // equals() content-based, which Beam's mutation detection relies on.
    if (literal != null && !(literal.getDataType() instanceof BinaryType)) {
      values.put(name(column), literal.getValue());
    }
  }

  private static String name(Column column) {
    // Lakehouse tables are flat, so a statistic's column path has one element.
    return String.join(".", column.getNames());
  }

  private static Literal literal(DataType type, Object value) {
    if (value == null) {
      return Literal.ofNull(type);
    } else if (type instanceof StringType) {
      return Literal.ofString((String) value);
    } else if (type instanceof IntegerType) {
      return Literal.ofInt((Integer) value);
    } else if (type instanceof LongType) {
      return Literal.ofLong((Long) value);
    } else if (type instanceof DoubleType) {
      return Literal.ofDouble((Double) value);
    } else if (type instanceof BooleanType) {
      return Literal.ofBoolean((Boolean) value);
    } else if (type instanceof DecimalType decimal) {
      return Literal.ofDecimal((BigDecimal) value, decimal.getPrecision(), decimal.getScale());
    } else if (type instanceof TimestampType) {
      return Literal.ofTimestamp((Long) value);
    }
    throw new IllegalArgumentException("no statistics for column type " + type);
  }
}
