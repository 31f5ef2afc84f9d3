package io.tributary.pipelines;

import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.delta.CompactFiles;
import io.tributary.pipelines.lakehouse.delta.VacuumFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a run of cycles' tables small on disk. Each cycle adds a file to bronze, silver and (with
 * bad records) quarantine, and rewrites gold's touched buckets: every {@value
 * #COMPACT_EVERY_CYCLES} cycles of a dataset, between two cycles, its append tables' small files
 * are rewritten as one ({@link CompactFiles}), and the files any of its tables stopped using more
 * than the retention ago are deleted ({@link VacuumFiles}), gold views' replaced bucket files
 * included. Delta only: Parquet tables have no atomic rewrite.
 */
final class TableUpkeep {
  /** Every this many cycles that read a dataset, its tables are compacted and vacuumed. */
  static final int COMPACT_EVERY_CYCLES = 50;

  private final TableFormat format;
  private final Duration retention;
  private final Map<String, Integer> cyclesSince = new HashMap<>();
  private double seconds;

  TableUpkeep(TableFormat format, Duration retention) {
    this.format = format;
    this.retention = retention;
  }

  /**
   * After a cycle of {@code tables}' dataset: compacts and vacuums them if due.
   *
   * @param goldViews the tables of the dataset's gold views
   */
  void afterCycle(DatasetTables tables, List<TableSpec> goldViews) {
    int count = cyclesSince.merge(tables.dataset(), 1, Integer::sum);
    if (count < COMPACT_EVERY_CYCLES || format != TableFormat.DELTA) {
      return;
    }
    cyclesSince.put(tables.dataset(), 0);
    long started = System.nanoTime();
    // Latest-state tables keep one file per bucket: nothing to compact.
    for (TableSpec table : tables.appended()) {
      CompactFiles.compact(table);
    }
    List<TableSpec> all = new ArrayList<>(tables.fedByTopic());
    all.addAll(goldViews);
    for (TableSpec table : all) {
      VacuumFiles.vacuum(table, retention);
    }
    seconds += (System.nanoTime() - started) / 1e9;
  }

  /** Seconds spent compacting and vacuuming so far. */
  double seconds() {
    return seconds;
  }
}
