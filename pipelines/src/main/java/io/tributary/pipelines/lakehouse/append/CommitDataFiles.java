package io.tributary.pipelines.lakehouse.append;

import io.delta.kernel.engine.Engine;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.delta.AppendCommit;
import io.tributary.pipelines.lakehouse.files.DataFile;
import io.tributary.pipelines.lakehouse.parquet.ParquetTables;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
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
 * <p>Delta tables with lineage commit each Kafka offset's rows once: files whose offsets the table
 * already accounted for are left out (see {@link AppendCommit}), so a bundle retried after its
 * commit adds nothing. The counter counts rows actually committed.
 */
public final class CommitDataFiles extends DoFn<KV<Integer, Iterable<DataFile>>, Long> {
  public static final String METRICS_NAMESPACE = "tributary.lakehouse";

  private final TableSpec table;
  private final TableFormat format;
  // Optional is not serializable; null means positions are not tracked.
  private final String accountedTopic;

  private transient Engine engine;
  private transient Counter rowsCommitted;

  CommitDataFiles(TableSpec table, TableFormat format, Optional<String> accountedTopic) {
    this.table = table;
    this.format = format;
    this.accountedTopic = accountedTopic.orElse(null);
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
    Optional<String> topic = Optional.ofNullable(accountedTopic);
    long rows =
        switch (format) {
          case DELTA -> AppendCommit.commit(engine, table, files, topic);
          case PARQUET -> {
            ParquetTables.commit(table, files, topic);
            yield files.stream().mapToLong(DataFile::rowCount).sum();
          }
        };
    rowsCommitted.inc(rows);
    out.output(rows);
  }
}
