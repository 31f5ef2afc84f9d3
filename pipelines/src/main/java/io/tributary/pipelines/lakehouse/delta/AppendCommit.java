package io.tributary.pipelines.lakehouse.delta;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.types.StructType;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.files.DataFile;
import io.tributary.pipelines.lakehouse.files.KernelSchemas;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends written data files to a Delta table in one commit, together with the Kafka offsets the
 * table has now accounted for: both land in the same {@code N.json}, so a reader (or a restarted
 * pipeline) sees the files and the offsets, or neither.
 *
 * <p>Exactly once: a file whose rows' offsets the table has already accounted for (a bundle retried
 * after its commit, a second pipeline reading the same records) is not committed again, and the
 * check is made against the snapshot the commit is written on top of, so it holds across concurrent
 * writers too (see {@link DeltaLog}). The offsets are domain metadata {@code
 * tributary.kafka.<topic>} ({@link OffsetRanges}); per partition a {@code txn} action also records
 * the contiguous position (appId {@code tributary.kafka.<topic>.<partition>}, version = next
 * offset), as Kafka-to-Delta ingesters do.
 */
public final class AppendCommit {
  private static final Logger LOG = LoggerFactory.getLogger(AppendCommit.class);

  private AppendCommit() {}

  /**
   * Commits the files (and offsets accounted for without rows); returns the number of rows
   * committed, 0 when everything was already committed.
   *
   * @param topic the topic whose offsets the files carry, or empty for a table without lineage
   */
  public static long commit(
      Engine engine, TableSpec table, List<DataFile> files, Optional<String> topic) {
    StructType schema = KernelSchemas.toKernel(table.schema());
    long[] rows = {0};
    Optional<Long> version =
        DeltaLog.commit(
            engine, table, "WRITE", snapshot -> plan(table, schema, snapshot, files, topic, rows));
    return version.isPresent() ? rows[0] : 0;
  }

  private static Optional<List<String>> plan(
      TableSpec table,
      StructType schema,
      SnapshotImpl snapshot,
      List<DataFile> files,
      Optional<String> topic,
      long[] rows) {
    checkColumns(table, schema, snapshot.getSchema());
    OffsetRanges recorded =
        topic.map(t -> DeltaLog.accounted(snapshot, t)).orElseGet(OffsetRanges::empty);
    OffsetRanges after = recorded.copy();
    List<String> actions = new ArrayList<>();
    long skipped = 0;
    rows[0] = 0;
    for (DataFile file : files) {
      if (file.isFile()) {
        if (topic.isPresent() && file.accounted().intersects(after)) {
          skipped += file.rowCount();
          continue;
        }
        actions.add(DeltaActions.addAction(file, schema, table.path()));
        rows[0] += file.rowCount();
      }
      after.addAll(file.accounted());
    }
    if (skipped > 0) {
      LOG.info(
          "Delta table {}: {} rows already committed (a retried bundle or another writer) were not"
              + " committed again",
          table.name(),
          skipped);
    }
    topic.ifPresent(t -> actions.addAll(DeltaActions.offsetActions(t, recorded, after)));
    return actions.isEmpty() ? Optional.empty() : Optional.of(actions);
  }

  /** Refuses to commit files into a table whose columns changed under the pipeline. */
  private static void checkColumns(TableSpec table, StructType written, StructType current) {
    for (var field : written.fields()) {
      int index = current.indexOf(field.getName());
      if (index < 0 || !current.at(index).getDataType().equals(field.getDataType())) {
        throw new IllegalStateException(
            "Delta table "
                + table.name()
                + " no longer has column '"
                + field.getName()
                + "' as "
                + field.getDataType()
                + ": its schema was changed while this pipeline ran; restart the pipeline");
      }
    }
  }
}
