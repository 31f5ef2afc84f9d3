package io.tributary.pipelines.lakehouse.files;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.append.CommitDataFiles;
import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.lakehouse.delta.DeltaLog;
import io.tributary.pipelines.lakehouse.parquet.ParquetTables;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes rows as one Parquet file, with Kernel's default Parquet writer (which also collects
 * per-column min/max/null-count statistics from the file footer), and emits its {@link DataFile}.
 * The file is not visible to readers until {@link CommitDataFiles} commits it: Delta files become
 * part of the table only through the log; Parquet files are written to the table's staging
 * directory.
 */
public final class DataFileWriter implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final TableSpec table;
  private final TableFormat format;
  private final WriteSettings.Lineage lineage;
  private final OffsetRanges alreadyCommitted;
  private final org.apache.beam.sdk.metrics.Counter skipped;

  private transient Engine engine;
  private transient StructType schema;
  private transient Target target;

  /** Where files go and which columns get statistics. */
  private record Target(String directory, List<Column> statsColumns) {}

  /**
   * @param lineage when not null, the rows' Kafka lineage columns, whose offsets each file records
   */
  public DataFileWriter(TableSpec table, TableFormat format, WriteSettings.Lineage lineage) {
    this(table, format, lineage, null);
  }

  /**
   * @param alreadyCommitted with lineage, rows at these offsets are left out (the table has them: a
   *     restart read them again); null for none
   */
  public DataFileWriter(
      TableSpec table,
      TableFormat format,
      WriteSettings.Lineage lineage,
      OffsetRanges alreadyCommitted) {
    this.table = table;
    this.format = format;
    this.lineage = lineage;
    this.alreadyCommitted =
        alreadyCommitted == null || alreadyCommitted.isEmpty() ? null : alreadyCommitted.copy();
    this.skipped =
        org.apache.beam.sdk.metrics.Metrics.counter(
            CommitDataFiles.METRICS_NAMESPACE, "rows_already_committed." + table.name());
  }

  /** Creates the engine; call from a DoFn's {@code @Setup}. */
  public void setup() {
    LakeFiles.register(table.storage());
    engine = LakeFiles.engine();
    schema = KernelSchemas.toKernel(table.schema());
  }

  /** Writes the rows as one data file (none if there are no rows) and describes it. */
  public java.util.List<DataFile> write(Iterable<org.apache.beam.sdk.values.Row> rows) {
    java.util.List<DataFile> written = new java.util.ArrayList<>();
    if (alreadyCommitted != null && lineage != null) {
      rows = withoutCommitted(rows);
    }
    if (!rows.iterator().hasNext()) {
      return written;
    }
    Target target = target();
    RowBatches batches = new RowBatches(rows, schema, lineage);
    try (CloseableIterator<DataFileStatus> files =
        engine
            .getParquetHandler()
            .writeParquetFiles(target.directory(), batches, target.statsColumns())) {
      while (files.hasNext()) {
        DataFileStatus file = files.next();
        long count = file.getStatistics().map(s -> s.getNumRecords()).orElse(batches.rowCount());
        written.add(DataFile.of(file, count, batches.accounted()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a data file of table " + table.name(), e);
    }
    return written;
  }

  private Iterable<org.apache.beam.sdk.values.Row> withoutCommitted(
      Iterable<org.apache.beam.sdk.values.Row> rows) {
    java.util.List<org.apache.beam.sdk.values.Row> kept = new java.util.ArrayList<>();
    for (org.apache.beam.sdk.values.Row row : rows) {
      if (alreadyCommitted.contains(
          row.getInt32(lineage.partitionColumn()), row.getInt64(lineage.offsetColumn()))) {
        skipped.inc();
      } else {
        kept.add(row);
      }
    }
    return kept;
  }

  private Target target() {
    if (target == null) {
      List<Column> columns = schema.fieldNames().stream().map(Column::new).toList();
      target =
          switch (format) {
              // Delta data files sit in the table root (the tables are unpartitioned); statistics
              // for the first delta.dataSkippingNumIndexedCols (32) columns, as Delta writers do.
            case DELTA ->
                new Target(
                    table.path(),
                    columns.subList(0, Math.min(columns.size(), DeltaLog.STATS_COLUMNS)));
            case PARQUET -> new Target(ParquetTables.stagingDir(table.path()), columns);
          };
    }
    return target;
  }
}
