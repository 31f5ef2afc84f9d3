package io.tributary.pipelines.lakehouse.delta;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.SnapshotImpl;
import io.tributary.pipelines.lakehouse.FileRowCache;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.files.DataFile;
import io.tributary.pipelines.lakehouse.files.DataFileWriter;
import io.tributary.pipelines.lakehouse.files.KernelSchemas;
import io.tributary.pipelines.lakehouse.latest.LatestStateFiles;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the small data files of an append table (bronze, silver, quarantine) into one file, in
 * one Delta commit that removes them and adds it, both with {@code dataChange=false}: readers see
 * the same rows, change data feed and streaming readers skip the commit, and the Kafka offsets the
 * table accounted for (domain metadata) are untouched. A table that another writer changed in
 * between is compacted again next time, never twice: the commit is refused if a file to remove is
 * gone, and the new file is deleted.
 *
 * <p>What a run of many short cycles needs: each cycle adds a file per table, and readers (and
 * Delta's log replay) pay per file.
 */
public final class CompactFiles {
  private static final Logger LOG = LoggerFactory.getLogger(CompactFiles.class);

  /** Files at least this large are left as they are. */
  static final long SMALL_FILE_BYTES = 32L * 1024 * 1024;

  /** Fewer small files than this are not worth a commit. */
  static final int MIN_FILES = 8;

  /** At most this many rows go into one compacted file (larger runs are left for later). */
  static final long MAX_ROWS = 2_000_000;

  /**
   * Files younger than this are left alone: a streaming cycle recomputes the gold windows its rows
   * touch from silver, and keeps the recent small files it reads in memory ({@link FileRowCache});
   * a compacted file is large, and would be read again by every cycle.
   */
  public static final java.time.Duration MIN_AGE = java.time.Duration.ofMinutes(10);

  private CompactFiles() {}

  /**
   * Compacts the table's small files older than {@link #MIN_AGE} if there are at least {@value
   * #MIN_FILES}.
   *
   * @return the number of files replaced (0 when nothing was done)
   */
  public static int compact(TableSpec table) {
    return compact(table, MIN_AGE);
  }

  /** As {@link #compact(TableSpec)}, for files older than {@code minAge}. */
  static int compact(TableSpec table, java.time.Duration minAge) {
    long youngest = System.currentTimeMillis() - minAge.toMillis();
    LakeFiles.register(table.storage());
    Engine engine = LakeFiles.engine();
    Optional<SnapshotImpl> snapshot = DeltaLog.latest(engine, table.path());
    if (snapshot.isEmpty()) {
      return 0;
    }
    LatestStateFiles files = new LatestStateFiles(engine, table, 1);
    List<LatestStateFiles.TableFile> small = new ArrayList<>();
    for (LatestStateFiles.TableFile file : files.list(snapshot.get()).unbucketed()) {
      if (file.size() < SMALL_FILE_BYTES && file.status().getModificationTime() <= youngest) {
        small.add(file);
      }
    }
    if (small.size() < MIN_FILES) {
      return 0;
    }
    List<Row> rows = new ArrayList<>();
    List<LatestStateFiles.TableFile> replaced = new ArrayList<>();
    for (LatestStateFiles.TableFile file : small) {
      List<Row> fileRows = files.read(file);
      if (!replaced.isEmpty() && rows.size() + fileRows.size() > MAX_ROWS) {
        break;
      }
      rows.addAll(fileRows);
      replaced.add(file);
    }
    if (replaced.size() < 2) {
      return 0;
    }
    DataFileWriter writer = new DataFileWriter(table, TableFormat.DELTA, null);
    writer.setup();
    List<DataFile> written = writer.write(rows);
    Set<String> removing = new HashSet<>();
    replaced.forEach(file -> removing.add(file.logPath()));
    Optional<Long> version =
        DeltaLog.commit(
            engine,
            table,
            "OPTIMIZE",
            current -> {
              Set<String> present = new HashSet<>();
              files.list(current).unbucketed().forEach(file -> present.add(file.logPath()));
              if (!present.containsAll(removing)) {
                return Optional.empty();
              }
              List<String> actions = new ArrayList<>();
              replaced.forEach(
                  file ->
                      actions.add(DeltaActions.removeAction(file.logPath(), file.size(), false)));
              written.forEach(
                  file ->
                      actions.add(
                          DeltaActions.addAction(
                              file, KernelSchemas.toKernel(table.schema()), table.path(), false)));
              return Optional.of(actions);
            });
    if (version.isEmpty()) {
      written.forEach(file -> deleteQuietly(file.path()));
      return 0;
    }
    LOG.info(
        "{}: compacted {} files ({} rows) into {} at version {}",
        table.name(),
        replaced.size(),
        rows.size(),
        written.size(),
        version.get());
    return replaced.size();
  }

  private static void deleteQuietly(String path) {
    try {
      LakeFiles.fileSystem(path).delete(new Path(path), false);
    } catch (java.io.IOException | RuntimeException e) {
      LOG.warn("cannot delete the unused compacted file {}", path, e);
    }
  }
}
