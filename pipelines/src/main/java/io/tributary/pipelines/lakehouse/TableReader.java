package io.tributary.pipelines.lakehouse;

import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
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
import io.tributary.pipelines.offsets.OffsetRanges;
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
 * Reads lakehouse tables back: whole tables into memory for tests and tools, and for the pipelines
 * the silver files of given windows ({@link #filesSince}, {@link #readFile}) and the new files of a
 * table ({@link #readColumnsOfFiles}).
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
  private static void scan(
      String tablePath, TableFormat format, List<String> columns, RowSink sink) {
    scan(tablePath, format, columns, path -> true, sink);
  }

  /** Scans {@code columns} (all when null) of every row of the data files {@code wanted} takes. */
  private static void scan(
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

  /**
   * Only {@code columns} of the rows of the table's data files (at its latest version) whose path
   * {@code wanted} takes: a reader that keeps what it read can read only the files added since.
   * Nothing for a table that does not exist.
   */
  public static void readColumnsOfFiles(
      String tablePath,
      TableFormat format,
      List<String> columns,
      java.util.function.Predicate<String> wanted,
      Consumer<Map<String, Object>> out) {
    boolean exists =
        switch (format) {
          case DELTA -> DeltaLog.latest(LakeFiles.engine(), tablePath).isPresent();
          case PARQUET -> ParquetTables.schema(tablePath).isPresent();
        };
    if (exists) {
      scan(tablePath, format, columns, wanted, (schema, row) -> out.accept(toMap(schema, row)));
    }
  }

  /**
   * The data files of a Delta table at {@code version} whose statistics say they may hold rows with
   * {@code timeColumn} at or after {@code from} (files without statistics included), to be read one
   * by one with {@link #readFile}. Reads the log only.
   */
  public static List<String> filesSince(
      String tablePath, long version, String timeColumn, java.time.Instant from) {
    long micros = from.getEpochSecond() * 1_000_000L + from.getNano() / 1_000;
    return filesAt(
        tablePath,
        version,
        new Predicate(">=", new Column(timeColumn), Literal.ofTimestamp(micros)));
  }

  /**
   * Every row of one data file ({@link #filesSince}) of a Delta table at {@code version}, as Beam
   * rows of {@code schema} (columns matched by name; columns the table lacks are null).
   *
   * <p>The rows of a small file are kept in this JVM ({@link FileRowCache}) and a file kept is not
   * read again: each cycle of a streaming run reads the files of the windows it recomputes, most of
   * them read by the cycles before. Data files never change, so their path identifies their rows.
   */
  public static void readFile(
      String tablePath,
      long version,
      String file,
      org.apache.beam.sdk.schemas.Schema schema,
      Consumer<org.apache.beam.sdk.values.Row> out) {
    FileRowCache cache = FileRowCache.instance();
    String key = file + "|" + schema.hashCode();
    List<org.apache.beam.sdk.values.Row> kept = cache.get(key);
    if (kept != null) {
      kept.forEach(out);
      return;
    }
    List<org.apache.beam.sdk.values.Row> read = new ArrayList<>();
    boolean[] keeping = {true};
    readFileRows(
        tablePath,
        version,
        file,
        Optional.empty(),
        schema,
        row -> {
          if (keeping[0]) {
            read.add(row);
            if (read.size() > FileRowCache.MAX_FILE_ROWS) {
              // Too large to keep: not collected any further.
              read.clear();
              keeping[0] = false;
            }
          }
          out.accept(row);
        });
    if (keeping[0]) {
      cache.put(key, read);
    }
  }

  /** A Kernel row as a Beam row of {@code schema}, columns matched by name (missing: null). */
  private static org.apache.beam.sdk.values.Row beamRow(
      org.apache.beam.sdk.schemas.Schema schema, StructType tableSchema, Row row) {
    Object[] values = new Object[schema.getFieldCount()];
    for (int i = 0; i < values.length; i++) {
      int index = tableSchema.indexOf(schema.getField(i).getName());
      values[i] =
          index < 0
              ? null
              : KernelSchemas.beamValue(
                  KernelSchemas.javaValue(row, index, tableSchema.at(index).getDataType()));
    }
    return org.apache.beam.sdk.values.Row.withSchema(schema)
        .attachValues(java.util.Arrays.asList(values));
  }

  /**
   * Per data file of a Delta table (its latest version), the greatest value of a timestamp column
   * by the file's statistics, in epoch millis; empty for a file whose statistics do not say. Reads
   * the log only; nothing for a missing table.
   */
  public static Map<String, Optional<Long>> maxMillisByFile(String tablePath, String column) {
    Map<String, Optional<Long>> maxima = new LinkedHashMap<>();
    Engine engine = LakeFiles.engine();
    Optional<io.delta.kernel.internal.SnapshotImpl> snapshot = DeltaLog.latest(engine, tablePath);
    if (snapshot.isEmpty()) {
      return maxima;
    }
    io.delta.kernel.internal.ScanImpl scan =
        (io.delta.kernel.internal.ScanImpl) snapshot.get().getScanBuilder().build();
    try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine, true)) {
      while (scanFiles.hasNext()) {
        try (CloseableIterator<Row> rows = scanFiles.next().getRows()) {
          rows.forEachRemaining(
              scanFile -> {
                Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
                String stats =
                    add.isNullAt(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL)
                        ? null
                        : add.getString(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL);
                maxima.put(
                    InternalScanFileUtils.getAddFileStatus(scanFile).getPath(),
                    maxMillis(stats, column));
              });
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the files of table " + tablePath, e);
    }
    return maxima;
  }

  private static Optional<Long> maxMillis(String stats, String column) {
    if (stats == null) {
      return Optional.empty();
    }
    try {
      com.fasterxml.jackson.databind.JsonNode max =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(stats)
              .path("maxValues")
              .path(column);
      return max.isTextual()
          ? Optional.of(java.time.OffsetDateTime.parse(max.asText()).toInstant().toEpochMilli())
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The data files of a Delta table at {@code version} that may hold rows of Kafka {@code offsets}
   * (their statistics on the partition and offset columns say so); nothing for no offsets. Reads
   * the log only.
   */
  public static List<String> filesWithOffsets(
      String tablePath,
      long version,
      String partitionColumn,
      String offsetColumn,
      OffsetRanges offsets) {
    Optional<Predicate> filter = offsetsFilter(partitionColumn, offsetColumn, offsets);
    return filter.isEmpty() ? new ArrayList<>() : filesAt(tablePath, version, filter.get());
  }

  /** The data files of a Delta table at {@code version} that {@code filter} may hold rows of. */
  private static List<String> filesAt(String tablePath, long version, Predicate filter) {
    List<String> files = new ArrayList<>();
    Engine engine = LakeFiles.engine();
    Snapshot snapshot = Table.forPath(engine, tablePath).getSnapshotAsOfVersion(engine, version);
    Scan scan = snapshot.getScanBuilder().withFilter(filter).build();
    try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
      while (scanFiles.hasNext()) {
        try (CloseableIterator<Row> rows = scanFiles.next().getRows()) {
          rows.forEachRemaining(
              scanFile -> files.add(InternalScanFileUtils.getAddFileStatus(scanFile).getPath()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the files of table " + tablePath, e);
    }
    return files;
  }

  /**
   * The rows of one data file ({@link #filesWithOffsets}) of a Delta table at {@code version} whose
   * Kafka partition and offset are among {@code offsets}, as Beam rows of {@code schema}.
   */
  public static void readOffsetsOfFile(
      String tablePath,
      long version,
      String file,
      String partitionColumn,
      String offsetColumn,
      OffsetRanges offsets,
      org.apache.beam.sdk.schemas.Schema schema,
      Consumer<org.apache.beam.sdk.values.Row> out) {
    readFileRows(
        tablePath,
        version,
        file,
        offsetsFilter(partitionColumn, offsetColumn, offsets),
        schema,
        beam -> {
          Integer partition = beam.getInt32(partitionColumn);
          Long offset = beam.getInt64(offsetColumn);
          if (partition != null && offset != null && offsets.contains(partition, offset)) {
            out.accept(beam);
          }
        });
  }

  /**
   * The rows of one data file of a Delta table at {@code version} (if {@code filter} does not rule
   * the file out), as Beam rows of {@code schema}: what the per-file readers share.
   */
  private static void readFileRows(
      String tablePath,
      long version,
      String file,
      Optional<Predicate> filter,
      org.apache.beam.sdk.schemas.Schema schema,
      Consumer<org.apache.beam.sdk.values.Row> out) {
    Engine engine = LakeFiles.engine();
    Snapshot snapshot = Table.forPath(engine, tablePath).getSnapshotAsOfVersion(engine, version);
    try {
      scanDelta(
          engine,
          tablePath,
          snapshot,
          null,
          filter,
          file::equals,
          (tableSchema, row) -> out.accept(beamRow(schema, tableSchema, row)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read table " + tablePath, e);
    }
  }

  /** Per partition, its column equal and the offset column within the offsets' span; or'ed. */
  private static Optional<Predicate> offsetsFilter(
      String partitionColumn, String offsetColumn, OffsetRanges offsets) {
    Predicate any = null;
    for (Map.Entry<Integer, Long> end : offsets.ends().entrySet()) {
      long start = offsets.starts().get(end.getKey());
      Predicate partition =
          new Predicate(
              "AND",
              new Predicate("=", new Column(partitionColumn), Literal.ofInt(end.getKey())),
              new Predicate(
                  "AND",
                  new Predicate(">=", new Column(offsetColumn), Literal.ofLong(start)),
                  new Predicate("<", new Column(offsetColumn), Literal.ofLong(end.getValue()))));
      any = any == null ? partition : new Predicate("OR", any, partition);
    }
    return Optional.ofNullable(any);
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
