package io.tributary.pipelines.lakehouse.files;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.internal.data.DefaultColumnarBatch;
import io.delta.kernel.defaults.internal.data.vector.DefaultGenericVector;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.beam.sdk.values.Row;

/**
 * Streams Beam rows into Kernel columnar batches of at most {@link #BATCH_ROWS} rows, so a large
 * group is written without holding all of it in columnar form; and, when positions are tracked,
 * remembers per Kafka partition the highest offset seen.
 *
 * <p>Uses kernel-defaults' {@code DefaultColumnarBatch}/{@code DefaultGenericVector}: internal
 * classes, but stable from 3.3 to 4.4 and the documented way to hand rows to Kernel's Parquet
 * writer (shared notes §2.4).
 */
public final class RowBatches implements CloseableIterator<FilteredColumnarBatch> {
  static final int BATCH_ROWS = 8192;

  private final Iterator<Row> rows;
  private final StructType schema;
  private final int partitionIndex;
  private final int offsetIndex;

  /** Per Kafka partition, the offsets of the rows consumed so far (any order). */
  private final java.util.Map<Integer, Offsets> offsets = new java.util.HashMap<>();

  private long rowCount;

  /**
   * @param schema the table's Kernel schema; Beam rows carry the same columns in the same order
   * @param lineage when not null, the rows' Kafka partition and offset columns, whose offsets are
   *     collected
   */
  public RowBatches(Iterable<Row> rows, StructType schema, WriteSettings.Lineage lineage) {
    this.rows = rows.iterator();
    this.schema = schema;
    this.partitionIndex = lineage != null ? schema.indexOf(lineage.partitionColumn()) : -1;
    this.offsetIndex = lineage != null ? schema.indexOf(lineage.offsetColumn()) : -1;
  }

  @Override
  public boolean hasNext() {
    return rows.hasNext();
  }

  @Override
  public FilteredColumnarBatch next() {
    if (!rows.hasNext()) {
      throw new NoSuchElementException();
    }
    int columns = schema.length();
    Object[][] values = new Object[columns][BATCH_ROWS];
    int size = 0;
    while (size < BATCH_ROWS && rows.hasNext()) {
      Row row = rows.next();
      for (int c = 0; c < columns; c++) {
        values[c][size] = KernelSchemas.toKernelValue(row.getValue(c), schema.at(c).getDataType());
      }
      if (partitionIndex >= 0) {
        offsets
            .computeIfAbsent((Integer) values[partitionIndex][size], p -> new Offsets())
            .add((Long) values[offsetIndex][size]);
      }
      size++;
    }
    rowCount += size;
    ColumnVector[] vectors = new ColumnVector[columns];
    for (int c = 0; c < columns; c++) {
      StructField field = schema.at(c);
      Object[] column = size == BATCH_ROWS ? values[c] : java.util.Arrays.copyOf(values[c], size);
      vectors[c] = DefaultGenericVector.fromArray(field.getDataType(), column);
    }
    return new FilteredColumnarBatch(
        new DefaultColumnarBatch(size, schema, vectors), Optional.empty());
  }

  /** The Kafka offsets of the rows consumed so far. */
  public OffsetRanges accounted() {
    OffsetRanges accounted = OffsetRanges.empty();
    offsets.forEach((partition, seen) -> accounted.addSorting(partition, seen.values, seen.count));
    return accounted;
  }

  /** A growable array of offsets. */
  private static final class Offsets {
    long[] values = new long[1024];
    int count;

    void add(long offset) {
      if (count == values.length) {
        values = java.util.Arrays.copyOf(values, count * 2);
      }
      values[count++] = offset;
    }
  }

  public long rowCount() {
    return rowCount;
  }

  @Override
  public void close() {}
}
