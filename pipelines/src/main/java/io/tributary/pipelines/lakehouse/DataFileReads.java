package io.tributary.pipelines.lakehouse;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.tributary.pipelines.lakehouse.delta.DeltaLog;
import io.tributary.pipelines.lakehouse.files.KernelSchemas;
import io.tributary.pipelines.lakehouse.parquet.ParquetTables;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a table's data files one at a time, for the pipelines: which files a version holds (whole,
 * or only those whose statistics may hold given windows or offsets), and the rows of one file
 * (recent small ones from {@link FileRowCache}). Silver's readers use it: the event ids kept warm
 * ({@code KnownEvents}), the windows gold recomputes ({@code SilverHistory}) and the rows a
 * latest-state table catches up on ({@code ReadCatchUp}). Whole tables are read by {@link
 * TableReader}.
 */
public final class DataFileReads {
  private DataFileReads() {}

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
      TableReader.scan(
          tablePath,
          format,
          columns,
          wanted,
          (schema, row) -> out.accept(TableReader.toMap(schema, row)));
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
      TableReader.scanDelta(
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
}
