package io.tributary.pipelines.lakehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.Scan;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.ScanImpl;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.utils.CloseableIterator;
import io.tributary.pipelines.lakehouse.delta.DeltaLog;
import io.tributary.pipelines.lakehouse.parquet.ParquetTables;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One version of a lakehouse table, for readers that poll a table while pipelines write it (the
 * dashboard). Every read of a snapshot sees the same files, whatever commits follow: a Delta
 * snapshot is pinned to its log version; a Parquet table is the committed files listed when the
 * snapshot was taken.
 *
 * <p>{@link #version()} changes with every commit, so a caller can keep what it computed from a
 * snapshot until the version moves. Row and file counts of a Delta table come from the log (the
 * files' statistics), without opening data files.
 */
public final class TableSnapshot {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String path;
  private final TableFormat format;
  private final long version;
  private final Instant committedAt;
  private final SnapshotImpl delta;
  private final List<FileStatus> parquetFiles;

  private TableSnapshot(
      String path,
      TableFormat format,
      long version,
      Instant committedAt,
      SnapshotImpl delta,
      List<FileStatus> parquetFiles) {
    this.path = path;
    this.format = format;
    this.version = version;
    this.committedAt = committedAt;
    this.delta = delta;
    this.parquetFiles = parquetFiles;
  }

  /** The table's latest version; empty when there is no table at {@code tablePath}. */
  public static Optional<TableSnapshot> latest(String tablePath, TableFormat format) {
    return switch (format) {
      case DELTA -> latestDelta(tablePath);
      case PARQUET -> latestParquet(tablePath);
    };
  }

  /**
   * The directories one level under each of {@code layers} of the lakehouse at {@code root}, as
   * {@code layer/name}, sorted: the tables there may be (a directory that holds no table yet gives
   * an empty {@link #latest}).
   */
  public static List<String> tableDirectories(String root, List<String> layers) {
    List<String> names = new java.util.ArrayList<>();
    FileSystem fs = LakeFiles.fileSystem(root);
    for (String layer : layers) {
      Path dir = new Path(root + "/" + layer);
      try {
        for (FileStatus status : fs.listStatus(dir)) {
          String name = status.getPath().getName();
          if (status.isDirectory() && !name.startsWith("_") && !name.startsWith(".")) {
            names.add(layer + "/" + name);
          }
        }
      } catch (java.io.FileNotFoundException e) {
        // No table of this layer yet.
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
    }
    java.util.Collections.sort(names);
    return names;
  }

  private static Optional<TableSnapshot> latestDelta(String tablePath) {
    Engine engine = LakeFiles.engine();
    return DeltaLog.latest(engine, tablePath)
        .map(
            snapshot ->
                new TableSnapshot(
                    tablePath,
                    TableFormat.DELTA,
                    snapshot.getVersion(),
                    Instant.ofEpochMilli(snapshot.getTimestamp(engine)),
                    snapshot,
                    List.of()));
  }

  private static Optional<TableSnapshot> latestParquet(String tablePath) {
    if (ParquetTables.schema(tablePath).isEmpty()) {
      return Optional.empty();
    }
    FileSystem fs = LakeFiles.fileSystem(tablePath);
    try {
      List<FileStatus> files =
          java.util.Arrays.stream(fs.listStatus(new Path(tablePath)))
              .filter(status -> status.isFile() && isDataFile(status.getPath().getName()))
              .toList();
      // Files are only ever added (and never rewritten), so their number and newest time identify
      // what a reader would see.
      long newest = files.stream().mapToLong(FileStatus::getModificationTime).max().orElse(0);
      return Optional.of(
          new TableSnapshot(
              tablePath,
              TableFormat.PARQUET,
              files.size() * 1_000_003L + newest,
              Instant.ofEpochMilli(newest),
              null,
              files));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list table " + tablePath, e);
    }
  }

  private static boolean isDataFile(String name) {
    return !name.startsWith("_") && !name.startsWith(".") && name.endsWith(".parquet");
  }

  /**
   * The Delta log version; for Parquet, a number that changes whenever a file is added (not
   * ordered).
   */
  public long version() {
    return version;
  }

  /** When the snapshot's version was committed (Parquet: its newest file's time). */
  public Instant committedAt() {
    return committedAt;
  }

  public TableFormat format() {
    return format;
  }

  /** The table's column names, in order. */
  public List<String> columns() {
    return switch (format) {
      case DELTA -> delta.getSchema().fieldNames();
      case PARQUET -> ParquetTables.schema(path).orElseThrow().fieldNames();
    };
  }

  /** Rows and data files of this version, from the Delta log's file statistics. */
  public Counts counts() {
    if (format == TableFormat.PARQUET) {
      long[] rows = {0};
      forEachRow(List.of(columns().get(0)), row -> rows[0]++);
      return new Counts(rows[0], parquetFiles.size());
    }
    Engine engine = LakeFiles.engine();
    Scan scan = delta.getScanBuilder().build();
    long rows = 0;
    int files = 0;
    boolean statsMissing = false;
    try (CloseableIterator<FilteredColumnarBatch> batches =
        ((ScanImpl) scan).getScanFiles(engine, true)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> scanFiles = batches.next().getRows()) {
          while (scanFiles.hasNext()) {
            Row add = scanFiles.next().getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
            files++;
            int stats = InternalScanFileUtils.ADD_FILE_STATS_ORDINAL;
            JsonNode numRecords =
                add.isNullAt(stats) ? null : JSON.readTree(add.getString(stats)).get("numRecords");
            if (numRecords == null) {
              statsMissing = true;
            } else {
              rows += numRecords.asLong();
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log of table " + path, e);
    }
    if (statsMissing) {
      // A file another writer added without statistics: count this version's rows instead.
      long[] counted = {0};
      forEachRow(List.of(columns().get(0)), row -> counted[0]++);
      rows = counted[0];
    }
    return new Counts(rows, files);
  }

  /**
   * Calls {@code sink} with {@code columns} (all when null) of every row of this version, as {@link
   * TableReader#read} gives them; memory stays at one batch of rows whatever the table's size.
   */
  public void forEachRow(List<String> columns, Consumer<Map<String, Object>> sink) {
    Engine engine = LakeFiles.engine();
    try {
      if (format == TableFormat.DELTA) {
        TableReader.scanDelta(
            engine,
            path,
            delta,
            columns,
            Optional.empty(),
            file -> true,
            (schema, row) -> sink.accept(TableReader.toMap(schema, row)));
      } else {
        // Only the files listed when the snapshot was taken, whatever was added since.
        java.util.Set<String> files =
            parquetFiles.stream()
                .map(status -> status.getPath().toString())
                .collect(java.util.stream.Collectors.toSet());
        TableReader.scanParquet(
            engine,
            path,
            columns,
            files::contains,
            (schema, row) -> sink.accept(TableReader.toMap(schema, row)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read table " + path + " at version " + version, e);
    }
  }

  /**
   * Per Kafka partition of {@code topic}, the next offset after the contiguous run of offsets this
   * version has accounted for; empty when it records none (Parquet: the accounted-offsets file
   * now).
   */
  public Map<Integer, Long> frontiers(String topic) {
    return switch (format) {
      case DELTA -> DeltaLog.accounted(delta, topic).frontiers();
      case PARQUET -> ParquetTables.accounted(path, topic).frontiers();
    };
  }

  /** Rows and data files of a table version. */
  public record Counts(long rows, int files) {}
}
