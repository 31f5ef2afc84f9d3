package io.tributary.pipelines.lakehouse;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Drops rows whose Kafka offset a table has already accounted for (records a restarted pipeline
 * reads again), counting them in {@code tributary.lakehouse/rows_already_committed.<table>}.
 */
public final class SkipAccounted extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final String table;
  private final WriteSettings.Lineage lineage;
  private final OffsetRanges accounted;

  private SkipAccounted(String table, WriteSettings.Lineage lineage, OffsetRanges accounted) {
    this.table = table;
    this.lineage = lineage;
    this.accounted = accounted.copy();
  }

  /**
   * @param table the table's name, for the counter
   * @param lineage the rows' partition and offset columns
   * @param accounted the offsets to drop
   */
  public static SkipAccounted of(
      String table, WriteSettings.Lineage lineage, OffsetRanges accounted) {
    return new SkipAccounted(table, lineage, accounted);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    return rows.apply(ParDo.of(new SkipFn(table, lineage, accounted)))
        .setRowSchema(rows.getSchema());
  }

  private static final class SkipFn extends DoFn<Row, Row> {
    private final WriteSettings.Lineage lineage;
    private final OffsetRanges accounted;
    private final Counter skipped;

    SkipFn(String table, WriteSettings.Lineage lineage, OffsetRanges accounted) {
      this.lineage = lineage;
      this.accounted = accounted;
      this.skipped =
          Metrics.counter(CommitDataFiles.METRICS_NAMESPACE, "rows_already_committed." + table);
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      if (accounted.contains(
          row.getInt32(lineage.partitionColumn()), row.getInt64(lineage.offsetColumn()))) {
        skipped.inc();
      } else {
        out.output(row);
      }
    }
  }
}
