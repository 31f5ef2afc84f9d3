package io.tributary.pipelines.lakehouse;

import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.lakehouse.append.WriteTable;
import io.tributary.pipelines.lakehouse.files.DataFile;
import io.tributary.pipelines.lakehouse.files.KernelSchemas;
import io.tributary.pipelines.lakehouse.files.RowBatches;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/** Rows covering every lakehouse column type, and how they must read back. */
public final class TestRows {
  public static final int PARTITIONS = 3;
  static final long BASE_TIME_MILLIS = 1_700_000_000_123L;

  public static final Schema SCHEMA =
      Schema.builder()
          .addInt64Field("id")
          .addNullableField("name", FieldType.STRING)
          .addNullableField("count", FieldType.INT32)
          .addNullableField("score", FieldType.DOUBLE)
          .addNullableField("flag", FieldType.BOOLEAN)
          .addNullableField("payload", FieldType.BYTES)
          .addNullableField("amount", FieldType.logicalType(FixedPrecisionNumeric.of(18, 2)))
          .addDateTimeField("event_time")
          .addInt32Field(WriteSettings.PARTITION)
          .addInt64Field(WriteSettings.OFFSET)
          .build();

  private TestRows() {}

  /**
   * Rows {@code from} (inclusive) to {@code to} (exclusive). Row {@code i} is Kafka partition
   * {@code i % 3} at offset {@code i / 3}, so offsets continue across consecutive ranges. Every 7th
   * row has all nullable columns null.
   */
  public static List<Row> rows(int from, int to) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      boolean nulls = i % 7 == 0;
      rows.add(
          Row.withSchema(SCHEMA)
              .addValues(
                  (long) i,
                  nulls ? null : "name-" + i + (i % 5 == 0 ? " ünïcödé" : ""),
                  nulls ? null : i * 31 - 50_000,
                  nulls ? null : i / 8.0 - 100,
                  nulls ? null : i % 2 == 0,
                  nulls
                      ? null
                      : new byte[] {(byte) 0xff, (byte) 0xfe, (byte) i, (byte) (i >> 8), 0},
                  nulls ? null : amount(i),
                  new Instant(BASE_TIME_MILLIS + i * 1_001L),
                  i % PARTITIONS,
                  (long) i / PARTITIONS)
              .build());
    }
    return rows;
  }

  /** Mixed scales on purpose: the table stores every amount with scale 2. */
  private static BigDecimal amount(int i) {
    return i % 3 == 0 ? BigDecimal.valueOf(i) : BigDecimal.valueOf(i * 101L - 400_000L, 2);
  }

  /** How {@link TableReader} must return a row: java.time instants, decimals with scale 2. */
  static Map<String, Object> expected(Row row) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Schema.Field field : SCHEMA.getFields()) {
      Object value = row.getValue(field.getName());
      if (value instanceof Instant instant) {
        value = java.time.Instant.ofEpochMilli(instant.getMillis());
      } else if (value instanceof BigDecimal decimal) {
        value = decimal.setScale(2);
      }
      values.put(field.getName(), value);
    }
    return values;
  }

  /** Rows as a multiset, byte arrays compared by content. */
  public static Map<Map<String, Object>, Long> multiset(List<Map<String, Object>> rows) {
    Map<Map<String, Object>, Long> counts = new HashMap<>();
    for (Map<String, Object> row : rows) {
      Map<String, Object> comparable = new LinkedHashMap<>(row);
      comparable.replaceAll(
          (column, value) ->
              value instanceof byte[] bytes ? "0x" + HexFormat.of().formatHex(bytes) : value);
      counts.merge(comparable, 1L, Long::sum);
    }
    return counts;
  }

  public static Map<Map<String, Object>, Long> expectedMultiset(List<Row> rows) {
    return multiset(rows.stream().map(TestRows::expected).toList());
  }

  /** Per partition, the highest offset among the rows, plus one. */
  public static Map<Integer, Long> nextOffsets(List<Row> rows) {
    Map<Integer, Long> next = new TreeMap<>();
    for (Row row : rows) {
      next.merge(
          row.getInt32(WriteSettings.PARTITION), row.getInt64(WriteSettings.OFFSET) + 1, Math::max);
    }
    return next;
  }

  /** Runs a DirectRunner pipeline writing {@code rows} to {@code table}, to completion. */
  public static void write(
      TableSpec table, TableFormat format, WriteSettings settings, List<Row> rows) {
    Pipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    pipeline
        .apply("Rows", Create.of(rows).withRowSchema(table.schema()))
        .apply("Write", WriteTable.to(table, format, settings));
    pipeline.run().waitUntilFinish();
  }

  /**
   * Writes one data file of {@code rows} into the table directory, as the pipelines' writers do.
   */
  public static DataFile writeFile(
      io.delta.kernel.engine.Engine engine, TableSpec table, List<Row> rows) throws Exception {
    io.delta.kernel.types.StructType schema = KernelSchemas.toKernel(table.schema());
    RowBatches batches = new RowBatches(rows, schema, WriteSettings.Lineage.of("t"));
    List<io.delta.kernel.expressions.Column> statsColumns =
        schema.fieldNames().stream().map(io.delta.kernel.expressions.Column::new).toList();
    try (io.delta.kernel.utils.CloseableIterator<io.delta.kernel.utils.DataFileStatus> files =
        engine.getParquetHandler().writeParquetFiles(table.path(), batches, statsColumns)) {
      return DataFile.of(files.next(), rows.size(), batches.accounted());
    }
  }
}
