package io.tributary.pipelines.lakehouse.delta;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.types.StructType;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.files.DataFile;
import io.tributary.pipelines.lakehouse.files.KernelSchemas;
import io.tributary.pipelines.lakehouse.latest.LatestRows;
import io.tributary.pipelines.lakehouse.latest.LatestStateFiles;
import io.tributary.pipelines.lakehouse.latest.LatestStateFiles.TableFile;
import io.tributary.pipelines.lakehouse.latest.LatestStateLayout;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.values.Row;

/**
 * Merges a pane's latest rows ({@link LatestRows}) into a latest-state Delta table, in one commit
 * (operation {@code MERGE}).
 *
 * <p>Layout: a key's row lives in the data file of its bucket ({@link LatestStateLayout#bucket}),
 * one file per bucket ({@link LatestStateFiles}). A commit rewrites only the buckets whose rows
 * change: it reads the bucket's file, keeps per key the later of the file's row and the pane's,
 * writes the merged rows as a new file and commits the {@code remove} of the old file with the
 * {@code add} of the new (both {@code dataChange}, so change-feed readers see the bucket's old rows
 * deleted and its new rows inserted). Files in no bucket (added by another writer, or compacted by
 * {@code OPTIMIZE}) are folded into the buckets of their rows by the next commit, as is a bucket
 * that somehow holds several files.
 *
 * <p>Everything is planned against the snapshot the commit is written on top of ({@link
 * DeltaLog.Plan}): when another writer commits first, the plan is made again and re-reads the
 * buckets that writer rewrote. An update is never lost and a key never has two rows. Bucket files
 * written by an attempt that lost are kept for the next attempt when their bucket did not change,
 * and are otherwise unreferenced (harmless; {@code VACUUM} deletes them).
 *
 * <p>Idempotent: rows that are not later than the table's (a restarted pipeline reading records
 * again) rewrite nothing. With a Kafka topic, the commit also records the offsets of all the pane's
 * rows and of those accounted for without rows, as {@link AppendCommit} does.
 */
public final class MergeCommit {
  private final Engine engine;
  private final TableSpec table;
  private final LatestStateLayout layout;
  private final StructType schema;
  private final LatestStateFiles files;
  private final Optional<String> topic;
  private final OffsetRanges accounted;

  /** The pane's rows per bucket, per key. */
  private final Map<Integer, Map<String, Row>> incoming = new TreeMap<>();

  /** Per bucket, the rewrite of an earlier attempt, reusable while the bucket's files are these. */
  private final Map<Integer, Rewrite> rewrites = new HashMap<>();

  private long changedKeys;

  /**
   * A bucket merged with the pane's rows.
   *
   * @param replaces the paths of the files it was merged from (the bucket's and the unbucketed)
   * @param files the new files of the bucket, or null when the bucket need not be rewritten
   * @param changedKeys keys whose row the pane inserted or replaced
   */
  private record Rewrite(Set<String> replaces, List<DataFile> files, long changedKeys) {}

  private MergeCommit(
      Engine engine,
      TableSpec table,
      LatestStateLayout layout,
      LatestRows pane,
      Optional<String> topic) {
    this.engine = engine;
    this.table = table;
    this.layout = layout;
    this.schema = KernelSchemas.toKernel(table.schema());
    this.files = new LatestStateFiles(engine, table, layout.buckets());
    this.topic = topic;
    this.accounted = pane.accounted();
    pane.rows()
        .forEach(
            (key, row) ->
                incoming.computeIfAbsent(layout.bucket(key), b -> new TreeMap<>()).put(key, row));
  }

  /**
   * Merges the pane into the table; returns the number of keys whose row it inserted or replaced (0
   * when nothing was committed).
   *
   * @param topic the topic whose offsets the pane accounts for, or empty for a table without
   *     lineage
   */
  public static long commit(
      Engine engine,
      TableSpec table,
      LatestStateLayout layout,
      LatestRows pane,
      Optional<String> topic) {
    MergeCommit commit = new MergeCommit(engine, table, layout, pane, topic);
    Optional<Long> version = DeltaLog.commit(engine, table, "MERGE", commit::plan);
    return version.isPresent() ? commit.changedKeys : 0;
  }

  private Optional<List<String>> plan(SnapshotImpl snapshot) {
    checkColumns(snapshot.getSchema());
    Optional<String> recordedLayout = snapshot.getDomainMetadata(LatestStateLayout.DOMAIN);
    recordedLayout.ifPresent(json -> layout.checkRecorded(table.name(), json));
    LatestStateFiles.Listing listing = files.list(snapshot);

    Map<Integer, List<Row>> unbucketedRows = new TreeMap<>();
    for (TableFile file : listing.unbucketed()) {
      for (Row row : files.read(file)) {
        unbucketedRows
            .computeIfAbsent(layout.bucket(layout.key(row)), b -> new ArrayList<>())
            .add(row);
      }
    }
    Set<Integer> buckets = new TreeSet<>(incoming.keySet());
    buckets.addAll(unbucketedRows.keySet());
    listing
        .buckets()
        .forEach(
            (bucket, inBucket) -> {
              if (inBucket.size() > 1) {
                buckets.add(bucket);
              }
            });

    List<String> actions = new ArrayList<>();
    long changed = 0;
    for (int bucket : buckets) {
      List<TableFile> current = listing.buckets().getOrDefault(bucket, List.of());
      Set<String> replaces = new TreeSet<>();
      current.forEach(file -> replaces.add(file.logPath()));
      listing.unbucketed().forEach(file -> replaces.add(file.logPath()));
      Rewrite rewrite = rewrites.get(bucket);
      if (rewrite == null || !rewrite.replaces().equals(replaces)) {
        rewrite =
            rewrite(bucket, current, unbucketedRows.getOrDefault(bucket, List.of()), replaces);
        rewrites.put(bucket, rewrite);
      }
      if (rewrite.files() == null) {
        continue;
      }
      current.forEach(file -> actions.add(DeltaActions.removeAction(file.logPath(), file.size())));
      rewrite
          .files()
          .forEach(file -> actions.add(DeltaActions.addAction(file, schema, table.path())));
      changed += rewrite.changedKeys();
    }
    // Every row of these files is in a rewritten bucket now.
    listing
        .unbucketed()
        .forEach(file -> actions.add(DeltaActions.removeAction(file.logPath(), file.size())));
    if (!actions.isEmpty() && recordedLayout.isEmpty()) {
      actions.add(DeltaActions.domainMetadataAction(LatestStateLayout.DOMAIN, layout.toJson()));
    }
    topic.ifPresent(t -> actions.addAll(offsetActions(snapshot, t)));
    changedKeys = changed;
    return actions.isEmpty() ? Optional.empty() : Optional.of(actions);
  }

  /** Merges one bucket's files (and unbucketed rows that belong to it) with the pane's rows. */
  private Rewrite rewrite(
      int bucket, List<TableFile> current, List<Row> unbucketed, Set<String> replaces) {
    Map<String, Row> merged = new TreeMap<>();
    for (TableFile file : current) {
      files.read(file).forEach(row -> keepLater(merged, layout.key(row), row));
    }
    unbucketed.forEach(row -> keepLater(merged, layout.key(row), row));
    long changed = 0;
    for (Map.Entry<String, Row> row : incoming.getOrDefault(bucket, Map.of()).entrySet()) {
      if (keepLater(merged, row.getKey(), row.getValue())) {
        changed++;
      }
    }
    boolean restructured = current.size() > 1 || !unbucketed.isEmpty();
    if (changed == 0 && !restructured) {
      return new Rewrite(replaces, null, 0);
    }
    return new Rewrite(replaces, files.write(bucket, merged.values()), changed);
  }

  /** Puts the row unless the key has a later (or the same) one; whether it was put. */
  private boolean keepLater(Map<String, Row> rows, String key, Row row) {
    Row current = rows.get(key);
    if (current != null && !layout.isLater(row, current)) {
      return false;
    }
    rows.put(key, row);
    return true;
  }

  /**
   * The table's accounted offsets with the pane's added, and per partition whose contiguous
   * position advanced a {@code txn} action, as {@link AppendCommit} records them; none when the
   * table already accounted for all of them.
   */
  private List<String> offsetActions(SnapshotImpl snapshot, String topic) {
    OffsetRanges recorded = DeltaLog.accounted(snapshot, topic);
    return DeltaActions.offsetActions(topic, recorded, recorded.copy().addAll(accounted));
  }

  /** Refuses to rewrite files of a table whose columns changed under the pipeline. */
  private void checkColumns(StructType current) {
    List<String> differences = KernelSchemas.differences(current, schema);
    if (!differences.isEmpty()) {
      throw new IllegalStateException(
          "latest-state table "
              + table.name()
              + " no longer has the columns this pipeline writes ("
              + String.join("; ", differences)
              + "): its schema was changed while this pipeline ran, and rewriting its files would"
              + " lose columns; restart the pipeline");
    }
  }
}
