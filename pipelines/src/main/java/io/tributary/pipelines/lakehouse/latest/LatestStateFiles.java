package io.tributary.pipelines.lakehouse.latest;

import io.delta.kernel.Scan;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.delta.DeltaLog;
import io.tributary.pipelines.lakehouse.files.DataFile;
import io.tributary.pipelines.lakehouse.files.KernelIterators;
import io.tributary.pipelines.lakehouse.files.KernelSchemas;
import io.tributary.pipelines.lakehouse.files.RowBatches;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.values.Row;

/**
 * The data files of a latest-state table: each bucket's rows are one Parquet file in {@code
 * bucket-NNNNN/} below the table root (a directory rather than a file-name prefix, because Kernel's
 * Parquet writer names the files it writes). Lists a snapshot's files by bucket, reads them back as
 * Beam rows and writes a bucket's new file, with statistics.
 */
public final class LatestStateFiles {
  private static final Pattern BUCKET_FILE = Pattern.compile("bucket-(\\d{5})/[^/]+\\.parquet");

  private final Engine engine;
  private final TableSpec table;
  private final int buckets;
  private final StructType schema;
  private final List<Column> statsColumns;

  /** A data file of the table: its path as the log has it, its size, and where to read it. */
  public record TableFile(String logPath, long size, FileStatus status) {}

  /**
   * The table's data files, per bucket, and those in no bucket (added by another writer, or
   * compacted by {@code OPTIMIZE}).
   */
  public record Listing(Map<Integer, List<TableFile>> buckets, List<TableFile> unbucketed) {}

  public LatestStateFiles(Engine engine, TableSpec table, int buckets) {
    this.engine = engine;
    this.table = table;
    this.buckets = buckets;
    this.schema = KernelSchemas.toKernel(table.schema());
    // Statistics for the first delta.dataSkippingNumIndexedCols columns, as Delta writers do.
    List<Column> columns = schema.fieldNames().stream().map(Column::new).toList();
    this.statsColumns = columns.subList(0, Math.min(columns.size(), DeltaLog.STATS_COLUMNS));
  }

  /** The table's data files; refuses deletion vectors, which a whole-file rewrite would undo. */
  public Listing list(SnapshotImpl snapshot) {
    Map<Integer, List<TableFile>> inBuckets = new TreeMap<>();
    List<TableFile> unbucketed = new ArrayList<>();
    Scan scan = snapshot.getScanBuilder().build();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine)) {
      while (batches.hasNext()) {
        try (CloseableIterator<io.delta.kernel.data.Row> scanFiles = batches.next().getRows()) {
          while (scanFiles.hasNext()) {
            io.delta.kernel.data.Row scanFile = scanFiles.next();
            io.delta.kernel.data.Row add =
                scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
            StructType addSchema = add.getSchema();
            String path = add.getString(addSchema.indexOf("path"));
            int deletionVector = addSchema.indexOf("deletionVector");
            if (deletionVector >= 0 && !add.isNullAt(deletionVector)) {
              throw new IllegalStateException(
                  "latest-state table "
                      + table.name()
                      + " has a deletion vector on "
                      + path
                      + ": it is rewritten file by file and would bring deleted rows back. Turn"
                      + " deletion vectors off (delta.enableDeletionVectors=false) and purge them"
                      + " (REORG TABLE ... APPLY (PURGE))");
            }
            TableFile file =
                new TableFile(
                    path,
                    add.getLong(addSchema.indexOf("size")),
                    InternalScanFileUtils.getAddFileStatus(scanFile));
            OptionalInt bucket = bucketOf(path);
            if (bucket.isPresent() && bucket.getAsInt() < buckets) {
              inBuckets.computeIfAbsent(bucket.getAsInt(), b -> new ArrayList<>()).add(file);
            } else {
              unbucketed.add(file);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the files of Delta table " + table.name(), e);
    }
    return new Listing(inBuckets, unbucketed);
  }

  /** The directory of a bucket's files, relative to the table root. */
  static String bucketDirectory(int bucket) {
    return String.format("bucket-%05d", bucket);
  }

  /** The bucket of a data file, from its path in the log; empty for a file in no bucket. */
  static OptionalInt bucketOf(String logPath) {
    Matcher matcher = BUCKET_FILE.matcher(logPath);
    return matcher.matches()
        ? OptionalInt.of(Integer.parseInt(matcher.group(1)))
        : OptionalInt.empty();
  }

  /** The rows of a file, as Beam rows of the table's schema. */
  public List<Row> read(TableFile file) {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<ColumnarBatch> batches =
        engine
            .getParquetHandler()
            .readParquetFiles(
                KernelIterators.of(List.of(file.status())), schema, Optional.empty())) {
      while (batches.hasNext()) {
        try (CloseableIterator<io.delta.kernel.data.Row> each = batches.next().getRows()) {
          while (each.hasNext()) {
            rows.add(toBeam(each.next()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + file.logPath() + " of Delta table " + table.name(), e);
    }
    return rows;
  }

  /** A Beam row of the table's schema (timestamps are truncated to milliseconds, as Beam's are). */
  private Row toBeam(io.delta.kernel.data.Row row) {
    List<Object> values = new ArrayList<>(schema.length());
    for (int i = 0; i < schema.length(); i++) {
      values.add(
          KernelSchemas.beamValue(KernelSchemas.javaValue(row, i, schema.at(i).getDataType())));
    }
    return Row.withSchema(table.schema()).addValues(values).build();
  }

  /** Writes a bucket's rows as its new file(s), with statistics; none for no rows. */
  public List<DataFile> write(int bucket, Collection<Row> rows) {
    List<DataFile> written = new ArrayList<>();
    if (rows.isEmpty()) {
      return written;
    }
    String directory =
        new org.apache.hadoop.fs.Path(table.path(), bucketDirectory(bucket)).toString();
    RowBatches batches = new RowBatches(rows, schema, null);
    try (CloseableIterator<DataFileStatus> files =
        engine.getParquetHandler().writeParquetFiles(directory, batches, statsColumns)) {
      while (files.hasNext()) {
        DataFileStatus file = files.next();
        long count =
            file.getStatistics().map(DataFileStatistics::getNumRecords).orElse(batches.rowCount());
        written.add(DataFile.of(file, count, OffsetRanges.empty()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write bucket " + bucket + " of Delta table " + table.name(), e);
    }
    return written;
  }
}
