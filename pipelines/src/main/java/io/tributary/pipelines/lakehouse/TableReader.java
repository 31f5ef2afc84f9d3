package io.tributary.pipelines.lakehouse;

import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.tributary.pipelines.lakehouse.delta.DeltaLog;
import io.tributary.pipelines.lakehouse.files.KernelIterators;
import io.tributary.pipelines.lakehouse.files.KernelSchemas;
import io.tributary.pipelines.lakehouse.parquet.ParquetTables;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import io.tributary.pipelines.lakehouse.storage.LakeStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads lakehouse tables back whole, into memory: for tests, tools and the dashboard. The pipelines
 * read tables a file at a time through {@link DataFileReads}, which shares this class's scans.
 *
 * <p>Values are plain Java: String, Integer, Long, Double, Boolean, byte[], BigDecimal (with the
 * column's scale), {@link java.time.Instant} for timestamps, or null. Delta tables are read at
 * their latest version through a Kernel scan; Parquet tables are every committed {@code *.parquet}
 * file in the table directory.
 */
public final class TableReader {
  private TableReader() {}

  /** Makes the store of a lakehouse reachable from this JVM (a worker reading a table). */
  public static void register(LakeStorage storage) {
    LakeFiles.register(storage);
  }

  /**
   * Every row of the table, as column name → value in table column order; row order is unspecified.
   */
  public static List<Map<String, Object>> read(String tablePath, TableFormat format) {
    List<Map<String, Object>> rows = new ArrayList<>();
    scan(tablePath, format, null, (schema, row) -> rows.add(toMap(schema, row)));
    return rows;
  }

  /**
   * Only {@code columns} of every row (a projection: other columns are not read from the files);
   * empty for a table that does not exist.
   */
  public static List<Map<String, Object>> readColumns(
      String tablePath, TableFormat format, List<String> columns) {
    List<Map<String, Object>> rows = new ArrayList<>();
    boolean exists =
        switch (format) {
          case DELTA -> DeltaLog.latest(LakeFiles.engine(), tablePath).isPresent();
          case PARQUET -> ParquetTables.schema(tablePath).isPresent();
        };
    if (exists) {
      scan(tablePath, format, columns, (schema, row) -> rows.add(toMap(schema, row)));
    }
    return rows;
  }

  /** The number of rows in the table. */
  public static long count(String tablePath, TableFormat format) {
    long[] count = {0};
    scan(tablePath, format, null, (schema, row) -> count[0]++);
    return count[0];
  }

  interface RowSink {
    void accept(StructType schema, Row row);
  }

  /** Scans {@code columns} (all when null) of every row. */
  static void scan(String tablePath, TableFormat format, List<String> columns, RowSink sink) {
    scan(tablePath, format, columns, path -> true, sink);
  }

  /** Scans {@code columns} (all when null) of every row of the data files {@code wanted} takes. */
  static void scan(
      String tablePath,
      TableFormat format,
      List<String> columns,
      java.util.function.Predicate<String> wanted,
      RowSink sink) {
    Engine engine = LakeFiles.engine();
    try {
      switch (format) {
        case DELTA -> scanDelta(engine, tablePath, columns, wanted, sink);
        case PARQUET -> scanParquet(engine, tablePath, columns, wanted, sink);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read table " + tablePath, e);
    }
  }

  /**
   * Kernel 4.0 scan, as in Delta's {@code SingleThreadedTableReader} example: the scan-file rows
   * name the data files, which are read with the physical read schema and turned into logical rows
   * (deletion vectors applied) by {@link Scan#transformPhysicalData}. {@code ScanStateRow}/{@code
   * InternalScanFileUtils} are internal but the only way in 4.0.
   */
  private static void scanDelta(
      Engine engine,
      String tablePath,
      List<String> columns,
      java.util.function.Predicate<String> wanted,
      RowSink sink)
      throws IOException {
    Snapshot snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
    scanDelta(engine, tablePath, snapshot, columns, Optional.empty(), wanted, sink);
  }

  static void scanDelta(
      Engine engine,
      String tablePath,
      Snapshot snapshot,
      List<String> columns,
      Optional<Predicate> filter,
      java.util.function.Predicate<String> wanted,
      RowSink sink)
      throws IOException {
    ScanBuilder builder =
        snapshot.getScanBuilder().withReadSchema(project(snapshot.getSchema(), columns, tablePath));
    if (filter.isPresent()) {
      builder = builder.withFilter(filter.get());
    }
    Scan scan = builder.build();
    Row scanState = scan.getScanState(engine);
    StructType logicalSchema = ScanStateRow.getLogicalSchema(scanState);
    StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
    try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
      while (scanFiles.hasNext()) {
        try (CloseableIterator<Row> files = scanFiles.next().getRows()) {
          while (files.hasNext()) {
            Row scanFile = files.next();
            FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
            if (!wanted.test(file.getPath())) {
              continue;
            }
            CloseableIterator<ColumnarBatch> physical =
                engine
                    .getParquetHandler()
                    .readParquetFiles(
                        KernelIterators.of(List.of(file)), physicalSchema, Optional.empty());
            try (CloseableIterator<FilteredColumnarBatch> data =
                Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
              data.forEachRemaining(
                  batch -> forEachRow(batch, row -> sink.accept(logicalSchema, row)));
            }
          }
        }
      }
    }
  }

  static void scanParquet(
      Engine engine,
      String tablePath,
      List<String> columns,
      java.util.function.Predicate<String> wanted,
      RowSink sink)
      throws IOException {
    StructType table =
        ParquetTables.schema(tablePath)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        tablePath
                            + " is not a Parquet lakehouse table: it has no "
                            + ParquetTables.SCHEMA_FILE));
    StructType schema = project(table, columns, tablePath);
    FileSystem fs = LakeFiles.fileSystem(tablePath);
    for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(new Path(tablePath))) {
      String name = status.getPath().getName();
      // Staging directory, schema and accounted-offsets files and temporary files all start with
      // '_' or '.'.
      if (!status.isFile()
          || name.startsWith("_")
          || name.startsWith(".")
          || !name.endsWith(".parquet")
          || !wanted.test(status.getPath().toString())) {
        continue;
      }
      FileStatus file =
          FileStatus.of(status.getPath().toString(), status.getLen(), status.getModificationTime());
      try (CloseableIterator<ColumnarBatch> batches =
          engine
              .getParquetHandler()
              .readParquetFiles(KernelIterators.of(List.of(file)), schema, Optional.empty())) {
        batches.forEachRemaining(
            batch ->
                forEachRow(
                    new FilteredColumnarBatch(batch, Optional.empty()),
                    row -> sink.accept(schema, row)));
      }
    }
  }

  private static StructType project(StructType schema, List<String> columns, String tablePath) {
    if (columns == null) {
      return schema;
    }
    StructType projected = new StructType();
    for (String column : columns) {
      int index = schema.indexOf(column);
      if (index < 0) {
        throw new IllegalArgumentException(
            "table " + tablePath + " has no column '" + column + "'");
      }
      projected = projected.add(schema.at(index));
    }
    return projected;
  }

  private static void forEachRow(FilteredColumnarBatch batch, Consumer<Row> action) {
    try (CloseableIterator<Row> rows = batch.getRows()) {
      rows.forEachRemaining(action);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> toMap(StructType schema, Row row) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < schema.length(); i++) {
      values.put(
          schema.at(i).getName(), KernelSchemas.javaValue(row, i, schema.at(i).getDataType()));
    }
    return values;
  }
}
