package io.tributary.pipelines.lakehouse;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes rows as one Parquet file, with Kernel's default Parquet writer (which also collects
 * per-column min/max/null-count statistics from the file footer), and emits its {@link DataFile}.
 * The file is not visible to readers until {@link CommitDataFiles} commits it: Delta files become
 * part of the table only through the log; Parquet files are written to the table's staging
 * directory.
 */
final class DataFileWriter implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final TableSpec table;
  private final TableFormat format;
  private final boolean trackPositions;

  private transient Engine engine;
  private transient StructType schema;
  private transient Target target;

  /**
   * Where files go, which columns get statistics, and (Delta) the transaction state validating the
   * data.
   */
  private record Target(String directory, List<Column> statsColumns, Row deltaState) {}

  DataFileWriter(TableSpec table, TableFormat format, boolean trackPositions) {
    this.table = table;
    this.format = format;
    this.trackPositions = trackPositions;
  }

  /** Creates the engine; call from a DoFn's {@code @Setup}. */
  void setup() {
    LakeFiles.register(table.storage());
    engine = LakeFiles.engine();
    schema = KernelSchemas.toKernel(table.schema());
  }

  /** Writes the rows as one data file (none if there are no rows) and describes it. */
  java.util.List<DataFile> write(Iterable<org.apache.beam.sdk.values.Row> rows) {
    java.util.List<DataFile> written = new java.util.ArrayList<>();
    if (!rows.iterator().hasNext()) {
      return written;
    }
    Target target = target();
    RowBatches batches = new RowBatches(rows, schema, trackPositions);
    CloseableIterator<FilteredColumnarBatch> data = batches;
    if (target.deltaState() != null) {
      // Checks the rows against the table's schema and refuses tables with column mapping,
      // which Kernel 4.0 cannot write.
      data = Transaction.transformLogicalData(engine, target.deltaState(), batches, Map.of());
    }
    try (CloseableIterator<DataFileStatus> files =
        engine
            .getParquetHandler()
            .writeParquetFiles(target.directory(), data, target.statsColumns())) {
      while (files.hasNext()) {
        DataFileStatus file = files.next();
        long count = file.getStatistics().map(s -> s.getNumRecords()).orElse(batches.rowCount());
        written.add(DataFile.of(file, count, batches.nextOffsets()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a data file of table " + table.name(), e);
    }
    return written;
  }

  private Target target() {
    if (target == null) {
      target =
          switch (format) {
            case DELTA -> deltaTarget();
            case PARQUET ->
                new Target(
                    ParquetTables.stagingDir(table.path()),
                    schema.fieldNames().stream().map(Column::new).toList(),
                    null);
          };
    }
    return target;
  }

  /**
   * Reads the table once per DoFn instance: its write context says where files go and which columns
   * get statistics ({@code delta.dataSkippingNumIndexedCols}, default 32). This transaction is
   * never committed.
   */
  private Target deltaTarget() {
    Transaction txn =
        Table.forPath(engine, table.path())
            .createTransactionBuilder(engine, DeltaTables.ENGINE_INFO, Operation.WRITE)
            .build(engine);
    Row state = txn.getTransactionState(engine);
    DataWriteContext context = Transaction.getWriteContext(engine, state, Map.of());
    return new Target(context.getTargetDirectory(), context.getStatisticsColumns(), state);
  }
}
