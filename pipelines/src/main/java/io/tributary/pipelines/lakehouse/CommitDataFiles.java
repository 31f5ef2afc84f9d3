package io.tributary.pipelines.lakehouse;

import io.delta.kernel.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Commits every data file of a pane in one commit (one Delta transaction, or one Parquet
 * move-and-record), then outputs the number of rows committed and counts them in {@code
 * tributary.lakehouse/rows_committed.<table>}.
 *
 * <p>A bundle retried after a successful Delta commit commits its files again (duplicated rows,
 * with positions unchanged since they only move forward): Kernel's idempotent {@code txn} ids need
 * a strictly increasing version per writer, which this stateless committer cannot provide without
 * state or stable input.
 */
final class CommitDataFiles extends DoFn<KV<Integer, Iterable<DataFile>>, Long> {
  static final String METRICS_NAMESPACE = "tributary.lakehouse";

  private final TableSpec table;
  private final TableFormat format;
  // Optional is not serializable; null means positions are not tracked.
  private final String positionsTopic;

  private transient Engine engine;
  private transient Counter rowsCommitted;

  CommitDataFiles(TableSpec table, TableFormat format, Optional<String> positionsTopic) {
    this.table = table;
    this.format = format;
    this.positionsTopic = positionsTopic.orElse(null);
  }

  @Setup
  public void setup() {
    LakeFiles.register(table.storage());
    engine = LakeFiles.engine();
    rowsCommitted = Metrics.counter(METRICS_NAMESPACE, "rows_committed." + table.name());
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<DataFile>> pane, OutputReceiver<Long> out) {
    List<DataFile> files = new ArrayList<>();
    pane.getValue().forEach(files::add);
    if (files.isEmpty()) {
      return;
    }
    Optional<String> topic = Optional.ofNullable(positionsTopic);
    switch (format) {
      case DELTA -> DeltaCommit.commit(engine, table, files, topic);
      case PARQUET -> ParquetTables.commit(table, files, topic);
    }
    long rows = files.stream().mapToLong(DataFile::rowCount).sum();
    rowsCommitted.inc(rows);
    out.output(rows);
  }
}
